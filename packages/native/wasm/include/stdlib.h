/* Freestanding stand-in for <stdlib.h> in the WebAssembly build: only what csrc/ and blst use.
 * The allocator lives in glue.c. */
#ifndef AUTONOMYS_WASM_STDLIB_H
#define AUTONOMYS_WASM_STDLIB_H
#include <stddef.h>
void *malloc(size_t size);
void free(void *ptr);
#endif
