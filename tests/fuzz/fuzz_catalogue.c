/* libFuzzer target: catalogue (see targets.c). */
#include <stddef.h>
#include <stdint.h>

int wb_fuzz_catalogue(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return wb_fuzz_catalogue(data, size); }
