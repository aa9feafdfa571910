// Shared between the files of CIPSecMB; not part of its module interface.
#ifndef QFP_CIPSECMB_INTERNAL_H
#define QFP_CIPSECMB_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#if defined(__has_include)
#if __has_include(<intel-ipsec-mb.h>) && __has_include(<dlfcn.h>) && __has_include(<pthread.h>) && !defined(QFP_WITHOUT_IPSEC_MB)
#define QFP_HAVE_IPSEC_MB 1
#endif
#endif

#ifdef QFP_HAVE_IPSEC_MB
#include <intel-ipsec-mb.h>

/// The process's manager (key expansion, one-block hashes, GCM pointers), or NULL when the
/// library did not load.
IMB_MGR *qfp_imb_key_manager(void);

/// A new manager (alloc_mb_mgr + init_mb_mgr_auto) for one thread's job queue, or NULL.
IMB_MGR *qfp_imb_new_manager(void);

/// Frees a manager made by `qfp_imb_new_manager`.
void qfp_imb_free_manager(IMB_MGR *manager);
#endif

/// ESPCryptoFunctions (Swift, @frozen): three C function pointers at the start of a context.
typedef struct {
    bool (*verify)(void *, void *, intptr_t, intptr_t);
    bool (*decrypt)(void *, void *, intptr_t, intptr_t);
    void (*seal)(void *, void *, intptr_t, intptr_t, intptr_t);
} qfp_esp_functions;

/// Offset of the kind word every QFPCrypto context keeps right after the function table.
#define QFP_CONTEXT_KIND_OFFSET (3 * sizeof(void *))

/// Non-zero iff the ICVs differ (12 or 16 bytes; the length is the SA's, not secret). No
/// data-dependent branch or early exit.
static inline uint64_t qfp_icv_differs(const uint8_t *a, const uint8_t *b, uint64_t length) {
    uint64_t a0, b0;
    __builtin_memcpy(&a0, a, 8);
    __builtin_memcpy(&b0, b, 8);
    uint64_t d = a0 ^ b0;
    if (length == 16) {
        uint64_t a1, b1;
        __builtin_memcpy(&a1, a + 8, 8);
        __builtin_memcpy(&b1, b + 8, 8);
        d |= a1 ^ b1;
    } else {
        uint32_t a1, b1;
        __builtin_memcpy(&a1, a + 8, 4);
        __builtin_memcpy(&b1, b + 8, 4);
        d |= a1 ^ b1;
    }
    return d;
}

#endif
