/* Freestanding stand-in for <string.h> in the WebAssembly build (implemented in glue.c). */
#ifndef AUTONOMYS_WASM_STRING_H
#define AUTONOMYS_WASM_STRING_H
#include <stddef.h>
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
#endif
