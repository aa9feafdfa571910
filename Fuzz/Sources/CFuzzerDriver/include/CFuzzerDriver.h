#ifndef QFP_CFUZZERDRIVER_H
#define QFP_CFUZZERDRIVER_H
#include <stddef.h>
#include <stdint.h>

/* libFuzzer's driver entry (compiler-rt, clang >= 11): runs the fuzzing loop with `callback`.
   SwiftPM renames an executable's `main`, so the harness calls the driver from its own main. */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
