// The few BoringSSL entry points qfp calls directly, declared by their prefixed names: the
// AEAD interface (AES-GCM), and the low-level AES block/CBC, SHA-1/SHA-256 and constant-time
// compare functions (AES-CBC + HMAC). The module keeps its first name, CBoringAEAD, although
// it now covers both.
//
// swift-crypto links BoringSSL statically with every symbol prefixed `CCryptoBoringSSL_` but
// exports no C module for it, so these declarations copy the ones of its
// `Sources/CCryptoBoringSSL/include/CCryptoBoringSSL_{aead,aes,sha,sha2,mem,bcm_public}.h`
// (swift-crypto 4.5.2, pinned in Package.resolved). The structures the caller owns
// (`EVP_AEAD_CTX`, `AES_KEY`, `SHA_CTX`, `SHA256_CTX`) are copied with their layouts because
// they live inside qfp's per-SA crypto context; CBoringAEAD.c checks their sizes.
//
// No allocation on the hot path: AEAD `init` once per SA, then `seal_scatter`/`open_gather`
// per packet, in place; `cleanup` when the SA's context is released. CBC: key schedules and
// the HMAC inner/outer hash states after the key block are made once per SA; per packet the
// hash states are copied to the stack and finished there.
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

// MARK: AES (CCryptoBoringSSL_aes.h)

#define QFP_AES_MAXNR 14

typedef struct aes_key_st {
  uint32_t rd_key[4 * (QFP_AES_MAXNR + 1)];
  unsigned rounds;
} AES_KEY;

// Both return zero on success (BoringSSL's exception to its usual convention). They use
// AES-NI when the CPU has it (`BCM_aes_set_*_key`: `hwaes_capable()`).
int CCryptoBoringSSL_AES_set_encrypt_key(const uint8_t *key, unsigned bits, AES_KEY *aeskey);
int CCryptoBoringSSL_AES_set_decrypt_key(const uint8_t *key, unsigned bits, AES_KEY *aeskey);

// One block; |in| may equal |out|.
void CCryptoBoringSSL_AES_encrypt(const uint8_t *in, uint8_t *out, const AES_KEY *key);

// CBC over |len| bytes (a multiple of 16), in place allowed (|in| == |out|); |ivec| is updated
// to the last ciphertext block. |enc| is 1 to encrypt, 0 to decrypt. `aes_hw_cbc_encrypt`
// (AES-NI) when available (crypto/fipsmodule/aes/mode_wrappers.cc.inc).
void CCryptoBoringSSL_AES_cbc_encrypt(const uint8_t *in, uint8_t *out, size_t len,
                                      const AES_KEY *key, uint8_t *ivec, const int enc);

// MARK: SHA-1 and SHA-256 (CCryptoBoringSSL_bcm_public.h, _sha.h, _sha2.h)

// `struct sha_state_st` without the C-only anonymous union naming h0..h4 (same layout).
typedef struct sha_state_st {
  uint32_t h[5];
  uint32_t Nl, Nh;
  uint8_t data[64];
  unsigned num;
} SHA_CTX;

typedef struct sha256_state_st {
  uint32_t h[8];
  uint32_t Nl, Nh;
  uint8_t data[64];
  unsigned num, md_len;
} SHA256_CTX;

int CCryptoBoringSSL_SHA1_Init(SHA_CTX *sha);
int CCryptoBoringSSL_SHA1_Update(SHA_CTX *sha, const void *data, size_t len);
int CCryptoBoringSSL_SHA1_Final(uint8_t out[20], SHA_CTX *sha);
uint8_t *CCryptoBoringSSL_SHA1(const uint8_t *data, size_t len, uint8_t out[20]);

int CCryptoBoringSSL_SHA256_Init(SHA256_CTX *sha);
int CCryptoBoringSSL_SHA256_Update(SHA256_CTX *sha, const void *data, size_t len);
int CCryptoBoringSSL_SHA256_Final(uint8_t out[32], SHA256_CTX *sha);
uint8_t *CCryptoBoringSSL_SHA256(const uint8_t *data, size_t len, uint8_t out[32]);

// MARK: memory (CCryptoBoringSSL_mem.h)

// Zero iff the |len| bytes at |a| and |b| are equal; time independent of where they differ.
int CCryptoBoringSSL_CRYPTO_memcmp(const void *a, const void *b, size_t len);

// Zeroes |len| bytes at |ptr| in a way the compiler does not remove.
void CCryptoBoringSSL_OPENSSL_cleanse(void *ptr, size_t len);

// Clears this thread's BoringSSL error queue (a failed open leaves an entry there).
void CCryptoBoringSSL_ERR_clear_error(void);

#ifdef __cplusplus
}
#endif

#endif
