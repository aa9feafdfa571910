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

// MARK: AES-CBC + HMAC on the job API, a burst at a time (CIPSecMBCBC.c)

/// The kind word of IPsecMBProvider's CBC contexts: a SwiftCryptoProvider CBC context (its
/// per-packet functions) followed by a section (`qfp_imb_cbc_init`) the burst engine reads.
#define QFP_IMB_KIND_CBC 4

/// Verdicts the burst engine writes, one per packet (`ESPBurstVerdict` in the data plane).
#define QFP_BURST_INTEGRITY_FAILURE 0
#define QFP_BURST_OPENED 1
#define QFP_BURST_BAD_LENGTH 2
#define QFP_BURST_PER_PACKET 0xFF

/// Bytes and alignment of a CBC section (0 when built without the header).
size_t qfp_imb_cbc_section_size(void);
size_t qfp_imb_cbc_section_alignment(void);

/// Fills a CBC section: AES key of 16 or 32 bytes expanded for encryption and decryption
/// (`IMB_AES_KEYEXP_128/256`), and the HMAC key's inner and outer states (key ⊕ ipad and key ⊕
/// opad, one block each through `IMB_SHA1_ONE_BLOCK` / `IMB_SHA256_ONE_BLOCK`; a key longer
/// than the 64-byte block is hashed first, RFC 2104). `sha256` selects HMAC-SHA256-128
/// (RFC 4868, 16-byte ICV) over HMAC-SHA1-96 (RFC 2404, 12 bytes). 0 on success; -1 when the
/// library is not loaded, -2 for another key length.
int qfp_imb_cbc_init(void *_Nonnull section, const uint8_t *_Nonnull key, size_t key_length,
                     const uint8_t *_Nullable auth_key, size_t auth_key_length, int sha256);

/// Wipes a section's key material.
void qfp_imb_cbc_wipe(void *_Nonnull section);

/// Bytes and alignment of a burst engine (0 when built without the header).
size_t qfp_imb_burst_size(void);
size_t qfp_imb_burst_alignment(void);

/// Sets up a burst engine in `engine`: the data plane's ESPCryptoBurst header (the `open`
/// function, then `transforms`, a bit mask of ESPTransform raw values it takes), its own
/// IMB_MGR (one per worker: a manager's job queue has one user), and the offset of the CBC
/// section inside a context. 0 on success, -1 when the library or a manager is unavailable.
/// Cold path: allocates the manager.
int qfp_imb_burst_init(void *_Nonnull engine, uint64_t transforms, size_t section_offset);

/// Frees the engine's manager.
void qfp_imb_burst_destroy(void *_Nonnull engine);

/// Opens `count` ESP packets: HMAC jobs for all of them, the ICVs compared in constant time,
/// then AES-CBC decryption jobs only for those whose ICV is good, in place. `results[i]` gets
/// a QFP_BURST_* verdict; a context that is not an ipsec-mb CBC context gets
/// QFP_BURST_PER_PACKET (the caller uses its function table). Offsets as ESPCryptoFunctions;
/// the caller guarantees `ends[i] - esp_starts[i] >= 8 + 16 + ICV`. No allocation, lock or
/// system call; the engine's manager and tag buffer are written, so one engine per thread.
void qfp_imb_burst_open(void *_Nonnull engine, intptr_t count, void *_Nonnull const *_Nonnull contexts,
                        void *_Nonnull const *_Nonnull packets, const intptr_t *_Nonnull esp_starts,
                        const intptr_t *_Nonnull ends, uint8_t *_Nonnull results);

#ifdef __cplusplus
}
#endif

#endif
