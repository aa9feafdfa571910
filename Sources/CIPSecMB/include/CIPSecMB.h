// AES-GCM ESP (RFC 4106) on intel-ipsec-mb, the library behind DPDK's aesni_gcm and aesni_mb
// crypto PMDs, loaded at run time.
//
// Nothing here links the library: `qfp_imb_load` dlopen()s libIPSec_MB.so.1 once per process,
// resolves alloc_mb_mgr, init_mb_mgr_auto and free_mb_mgr, and keeps one IMB_MGR, used only
// for key set-up and as the source of the GCM function pointers (init_mb_mgr_auto picks the
// SSE, AVX, AVX2 or AVX-512/VAES code for this CPU). Built without <intel-ipsec-mb.h>
// (Debian libipsec-mb-dev), every entry point reports the library unavailable.
//
// A per-SA context (`qfp_imb_gcm_init`) starts with the data plane's ESPCryptoFunctions table
// (verify, decrypt, seal: Sources/QFPDataplane/SA/ESPCrypto.swift), then a kind word, the
// salt, the encrypt/decrypt function pointers copied from the manager, and the expanded
// `struct gcm_key_data` (64-byte aligned). A packet's call reads only the context and its
// stack: no manager, no thread state, no allocation, no lock, no system call; the context is
// never written after set-up, so every worker may use one context at once.
#ifndef QFP_CIPSECMB_H
#define QFP_CIPSECMB_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The kind word of an ipsec-mb GCM context (at the same offset as SwiftCryptoProvider's kind
/// word, right after the function table; its own kinds are 1 and 2).
#define QFP_IMB_KIND_GCM 3

/// Loads the library (libIPSec_MB.so.1, or the file the environment variable
/// QFP_IPSEC_MB_LIBRARY names) and makes the manager, once per process (later calls return the
/// first result; thread-safe). 1 when usable, 0 otherwise (`qfp_imb_error` says why).
int qfp_imb_load(void);

/// Why the library is not usable (a static string), or NULL when it is or was not tried.
const char *_Nullable qfp_imb_error(void);

/// The code path init_mb_mgr_auto chose: "avx512", "avx2", "avx", "sse", "no-aesni", or
/// "unavailable".
const char *_Nonnull qfp_imb_arch(void);

/// The loaded library's version string ("1.3.0"), or "unavailable".
const char *_Nonnull qfp_imb_version(void);

/// Bytes and alignment of a GCM context (0 when built without the header).
size_t qfp_imb_gcm_context_size(void);
size_t qfp_imb_gcm_context_alignment(void);

/// Sets up a GCM context in `context` (`qfp_imb_gcm_context_size` bytes, aligned as
/// `qfp_imb_gcm_context_alignment`): AES key of 16 or 32 bytes, then the 4-byte RFC 4106 salt.
/// 0 on success; -1 when the library is not loaded, -2 for another key length.
int qfp_imb_gcm_init(void *_Nonnull context, const uint8_t *_Nonnull key, size_t key_length,
                     const uint8_t *_Nonnull salt);

/// Wipes a context's key material (before its memory is freed).
void qfp_imb_gcm_wipe(void *_Nonnull context);

#ifdef __cplusplus
}
#endif

#endif
