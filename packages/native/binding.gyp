{
  "variables": {
    "blst": "<!(node scripts/blst-path.cjs)"
  },
  "targets": [
    {
      "target_name": "blst",
      "type": "static_library",
      "sources": ["<(blst)/src/server.c", "<(blst)/build/assembly.S"],
      "defines": ["__BLST_PORTABLE__"],
      "cflags": ["-O2", "-fno-builtin", "-fPIC", "-mno-avx"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O2", "-fno-builtin", "-fPIC"] },
      "direct_dependent_settings": { "include_dirs": ["<(blst)/bindings"] }
    },
    {
      "target_name": "autonomys_native",
      "sources": ["csrc/addon.c", "csrc/curve.c", "csrc/msm.c", "csrc/aes.c", "csrc/pos.c", "csrc/pos-recover.c", "csrc/g1fft.c"],
      "dependencies": ["blst"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-O2", "-std=gnu11"],
      "conditions": [
        ["target_arch=='x64'", { "cflags": ["-maes"], "xcode_settings": { "OTHER_CFLAGS": ["-maes"] } }]
      ]
    }
  ]
}
