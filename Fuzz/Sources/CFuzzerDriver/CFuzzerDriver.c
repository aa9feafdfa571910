/* Declarations only; the driver comes from libclang_rt.fuzzer (-sanitize=fuzzer). */
