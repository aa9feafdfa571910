// The few BoringSSL AEAD entry points qfp calls directly, declared by their prefixed names.
//
// swift-crypto links BoringSSL statically with every symbol prefixed `CCryptoBoringSSL_` but
// exports no C module for it, so these declarations copy the ones of its
// `Sources/CCryptoBoringSSL/include/CCryptoBoringSSL_aead.h` (swift-crypto 4.5.2, pinned in
// Package.resolved). `EVP_AEAD_CTX` is copied with its layout because the caller owns its
// memory (it lives inside qfp's per-SA crypto context); CBoringAEAD.c checks the size.
//
// No allocation on the hot path: `init` once per SA, then `seal_scatter`/`open_gather` per
// packet, in place; `cleanup` when the SA's context is released.
#ifndef QFP_CBORINGAEAD_H
#define QFP_CBORINGAEAD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct evp_aead_st EVP_AEAD;
typedef struct engine_st ENGINE;

union evp_aead_ctx_st_state {
  uint8_t opaque[560];
  uint64_t alignment;
};

typedef struct evp_aead_ctx_st {
  const EVP_AEAD *aead;
  union evp_aead_ctx_st_state state;
  uint8_t tag_len;
} EVP_AEAD_CTX;

const EVP_AEAD *CCryptoBoringSSL_EVP_aead_aes_128_gcm(void);
const EVP_AEAD *CCryptoBoringSSL_EVP_aead_aes_256_gcm(void);

void CCryptoBoringSSL_EVP_AEAD_CTX_zero(EVP_AEAD_CTX *ctx);

int CCryptoBoringSSL_EVP_AEAD_CTX_init(EVP_AEAD_CTX *ctx, const EVP_AEAD *aead,
                                       const uint8_t *key, size_t key_len,
                                       size_t tag_len, ENGINE *impl);

void CCryptoBoringSSL_EVP_AEAD_CTX_cleanup(EVP_AEAD_CTX *ctx);

// Encrypts |in| to |out| (may alias exactly) and writes the tag to |out_tag|.
int CCryptoBoringSSL_EVP_AEAD_CTX_seal_scatter(
    const EVP_AEAD_CTX *ctx, uint8_t *out, uint8_t *out_tag,
    size_t *out_tag_len, size_t max_out_tag_len, const uint8_t *nonce,
    size_t nonce_len, const uint8_t *in, size_t in_len, const uint8_t *extra_in,
    size_t extra_in_len, const uint8_t *ad, size_t ad_len);

// Decrypts |in| to |out| (may alias exactly) if |in_tag| is good; on failure |out| is zeroed.
int CCryptoBoringSSL_EVP_AEAD_CTX_open_gather(
    const EVP_AEAD_CTX *ctx, uint8_t *out, const uint8_t *nonce,
    size_t nonce_len, const uint8_t *in, size_t in_len, const uint8_t *in_tag,
    size_t in_tag_len, const uint8_t *ad, size_t ad_len);

// Clears this thread's BoringSSL error queue (a failed open leaves an entry there).
void CCryptoBoringSSL_ERR_clear_error(void);

#ifdef __cplusplus
}
#endif

#endif
