// AES-CBC (RFC 3602) + HMAC-SHA1-96 (RFC 2404) / HMAC-SHA256-128 (RFC 4868) inbound, a burst
// at a time, on intel-ipsec-mb's multi-buffer job API — the way DPDK's aesni_mb PMD runs it.
//
// Why a burst: the job API hashes several buffers at once (SHA-1/SHA-256 lanes, SHA-NI) and
// overlaps the CBC decryptions of several buffers, but only when it holds several jobs. One
// packet submitted and flushed at once was 2.6-2.8x slower than BoringSSL; 32 jobs then one
// flush 1.6-4.2x faster (docs/crypto.md). So the data plane hands a whole burst to
// `qfp_imb_burst_open`, one call per worker burst.
//
// Order inside a burst (RFC 4303 §3.4.4: decrypt only what authenticated): first an HMAC job
// for every packet, all in one synchronous hash burst (per hash algorithm), each tag written
// to the engine's buffer; then the tags are compared in constant time; then an AES-CBC
// decryption job for each packet whose ICV matched, in one cipher burst (per key size). A
// forged packet is never decrypted: its bytes stay as they arrived. The replay window is not
// touched here: the caller updates it, in packet order, after this call.
#include "CIPSecMB.h"
#include "CIPSecMBInternal.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef QFP_HAVE_IPSEC_MB

enum { ESP_HEADER = 8, CBC_IV = 16, HMAC_BLOCK = 64, BURST_CHUNK = IMB_MAX_BURST_SIZE };

/// What the engine needs of an SA, after the SwiftCryptoProvider part of the context. Written
/// once at install, read by every worker's engine.
typedef struct {
    _Alignas(16) uint32_t encrypt_keys[60];
    _Alignas(16) uint32_t decrypt_keys[60];
    /// Inner and outer hash states after key ⊕ ipad and key ⊕ opad (20 or 32 bytes used).
    _Alignas(16) uint8_t ipad[32];
    _Alignas(16) uint8_t opad[32];
    uint64_t key_length;
    uint64_t icv_length;
    IMB_HASH_ALG hash;
} qfp_imb_cbc_section;

/// The data plane's ESPCryptoBurst header (`open`, `transforms`), then the engine's own state.
typedef struct {
    void (*open)(void *, intptr_t, void *const *, void *const *, const intptr_t *, const intptr_t *, uint8_t *);
    uint64_t transforms;
    IMB_MGR *manager;
    uint64_t section_offset;
    /// Computed ICVs of the chunk in flight (full-length room for either hash).
    _Alignas(64) uint8_t tags[BURST_CHUNK][32];
    /// The jobs of one burst call, and the packet (index in the chunk) of each.
    _Alignas(64) IMB_JOB jobs[BURST_CHUNK];
    uint16_t packet_of_job[BURST_CHUNK];
} qfp_imb_burst;

_Static_assert(offsetof(qfp_imb_burst, transforms) == sizeof(void *), "ESPCryptoBurst header: open, transforms");

size_t qfp_imb_cbc_section_size(void) { return sizeof(qfp_imb_cbc_section); }
size_t qfp_imb_cbc_section_alignment(void) { return _Alignof(qfp_imb_cbc_section); }
size_t qfp_imb_burst_size(void) { return sizeof(qfp_imb_burst); }
size_t qfp_imb_burst_alignment(void) { return 64; }

int qfp_imb_cbc_init(void *section, const uint8_t *key, size_t key_length, const uint8_t *auth_key,
                     size_t auth_key_length, int sha256) {
    IMB_MGR *m = qfp_imb_key_manager();
    if (!m) return -1;
    if (key_length != 16 && key_length != 32) return -2;
    qfp_imb_cbc_section *s = section;
    memset(s, 0, sizeof *s);
    if (key_length == 16) {
        IMB_AES_KEYEXP_128(m, key, s->encrypt_keys, s->decrypt_keys);
    } else {
        IMB_AES_KEYEXP_256(m, key, s->encrypt_keys, s->decrypt_keys);
    }
    s->key_length = key_length;
    s->hash = sha256 ? IMB_AUTH_HMAC_SHA_256 : IMB_AUTH_HMAC_SHA_1;
    s->icv_length = sha256 ? 16 : 12;
    // RFC 2104: the key, or its hash when longer than a block, zero-padded to the block.
    _Alignas(16) uint8_t block[HMAC_BLOCK];
    _Alignas(16) uint8_t padded[HMAC_BLOCK];
    memset(block, 0, sizeof block);
    if (auth_key_length > HMAC_BLOCK) {
        if (sha256) IMB_SHA256(m, auth_key, auth_key_length, block);
        else IMB_SHA1(m, auth_key, auth_key_length, block);
    } else if (auth_key_length > 0) {
        memcpy(block, auth_key, auth_key_length);
    }
    for (int i = 0; i < HMAC_BLOCK; i++) padded[i] = block[i] ^ 0x36;
    if (sha256) IMB_SHA256_ONE_BLOCK(m, padded, s->ipad);
    else IMB_SHA1_ONE_BLOCK(m, padded, s->ipad);
    for (int i = 0; i < HMAC_BLOCK; i++) padded[i] = block[i] ^ 0x5C;
    if (sha256) IMB_SHA256_ONE_BLOCK(m, padded, s->opad);
    else IMB_SHA1_ONE_BLOCK(m, padded, s->opad);
    explicit_bzero(block, sizeof block);
    explicit_bzero(padded, sizeof padded);
    return 0;
}

void qfp_imb_cbc_wipe(void *section) {
    explicit_bzero(section, sizeof(qfp_imb_cbc_section));
}

static inline const qfp_imb_cbc_section *section_of(const qfp_imb_burst *e, void *context) {
    return (const qfp_imb_cbc_section *)((const uint8_t *)context + e->section_offset);
}

/// HMAC jobs of one hash algorithm, in one synchronous hash burst; then the ICV compare.
static void authenticate(qfp_imb_burst *e, IMB_HASH_ALG hash, intptr_t first, intptr_t count, void *const *contexts,
                         void *const *packets, const intptr_t *esp_starts, const intptr_t *ends, uint8_t *results) {
    uint32_t n = 0;
    for (intptr_t i = first; i < first + count; i++) {
        if (results[i] != QFP_BURST_OPENED) continue;
        const qfp_imb_cbc_section *s = section_of(e, contexts[i]);
        if (s->hash != hash) continue;
        IMB_JOB *job = &e->jobs[n];
        e->packet_of_job[n++] = (uint16_t)(i - first);
        job->src = packets[i];
        job->hash_alg = hash;
        job->hash_start_src_offset_in_bytes = (uint64_t)esp_starts[i];
        job->msg_len_to_hash_in_bytes = (uint64_t)(ends[i] - (intptr_t)s->icv_length - esp_starts[i]);
        job->auth_tag_output = e->tags[i - first];
        job->auth_tag_output_len_in_bytes = s->icv_length;
        job->u.HMAC._hashed_auth_key_xor_ipad = s->ipad;
        job->u.HMAC._hashed_auth_key_xor_opad = s->opad;
        job->status = IMB_STATUS_BEING_PROCESSED;
    }
    if (n == 0) return;
    IMB_SUBMIT_HASH_BURST(e->manager, e->jobs, n, hash);
    for (uint32_t k = 0; k < n; k++) {
        intptr_t i = first + e->packet_of_job[k];
        uint64_t icv = e->jobs[k].auth_tag_output_len_in_bytes;
        const uint8_t *received = (const uint8_t *)packets[i] + ends[i] - (intptr_t)icv;
        uint64_t bad = qfp_icv_differs(e->tags[i - first], received, icv)
            | (uint64_t)((e->jobs[k].status & IMB_STATUS_COMPLETED_AUTH) == 0);
        results[i] = bad ? QFP_BURST_INTEGRITY_FAILURE : QFP_BURST_OPENED;
    }
}

/// AES-CBC decryption in place of the authenticated packets with `key_length`-byte keys, in
/// one synchronous cipher burst.
static void decrypt(qfp_imb_burst *e, uint64_t key_length, intptr_t first, intptr_t count, void *const *contexts,
                    void *const *packets, const intptr_t *esp_starts, const intptr_t *ends, uint8_t *results) {
    uint32_t n = 0;
    for (intptr_t i = first; i < first + count; i++) {
        if (results[i] != QFP_BURST_OPENED) continue;
        const qfp_imb_cbc_section *s = section_of(e, contexts[i]);
        if (s->key_length != key_length) continue;
        intptr_t payload_start = esp_starts[i] + ESP_HEADER + CBC_IV;
        intptr_t length = ends[i] - (intptr_t)s->icv_length - payload_start;
        if (length <= 0 || (length & 15) != 0) {
            results[i] = QFP_BURST_BAD_LENGTH;
            continue;
        }
        uint8_t *p = packets[i];
        IMB_JOB *job = &e->jobs[n];
        e->packet_of_job[n++] = (uint16_t)(i - first);
        job->cipher_mode = IMB_CIPHER_CBC;
        job->cipher_direction = IMB_DIR_DECRYPT;
        job->chain_order = IMB_ORDER_HASH_CIPHER;
        job->hash_alg = IMB_AUTH_NULL;
        job->key_len_in_bytes = key_length;
        job->enc_keys = s->encrypt_keys;
        job->dec_keys = s->decrypt_keys;
        job->src = p;
        job->dst = p + payload_start;
        job->cipher_start_src_offset_in_bytes = (uint64_t)payload_start;
        job->msg_len_to_cipher_in_bytes = (uint64_t)length;
        job->iv = p + payload_start - CBC_IV;
        job->iv_len_in_bytes = CBC_IV;
        job->status = IMB_STATUS_BEING_PROCESSED;
    }
    if (n == 0) return;
    IMB_SUBMIT_CIPHER_BURST(e->manager, e->jobs, n, IMB_CIPHER_CBC, IMB_DIR_DECRYPT,
                            key_length == 16 ? IMB_KEY_128_BYTES : IMB_KEY_256_BYTES);
    for (uint32_t k = 0; k < n; k++) {
        if ((e->jobs[k].status & IMB_STATUS_COMPLETED_CIPHER) == 0) results[first + e->packet_of_job[k]] = QFP_BURST_BAD_LENGTH;
    }
}

/// One chunk of at most BURST_CHUNK packets (IMB_MAX_BURST_SIZE, the size of the job and tag
/// arrays). The library's synchronous burst calls (`IMB_SUBMIT_HASH_BURST`,
/// `IMB_SUBMIT_CIPHER_BURST`) take jobs of one algorithm and key size, so each kind present
/// gets its own call; a burst of one SA's packets makes one of each. Measured against one
/// `IMB_SUBMIT_JOB` per job and a flush (the queue API, which mixes algorithms): 1.15–1.55x
/// faster (docs/crypto.md).
static void open_chunk(qfp_imb_burst *e, intptr_t first, intptr_t count, void *const *contexts, void *const *packets,
                       const intptr_t *esp_starts, const intptr_t *ends, uint8_t *results) {
    bool sha1 = false, sha256 = false, aes128 = false, aes256 = false;
    for (intptr_t i = first; i < first + count; i++) {
        uintptr_t kind;
        memcpy(&kind, (const uint8_t *)contexts[i] + QFP_CONTEXT_KIND_OFFSET, sizeof kind);
        if (kind != QFP_IMB_KIND_CBC) {
            results[i] = QFP_BURST_PER_PACKET;
            continue;
        }
        const qfp_imb_cbc_section *s = section_of(e, contexts[i]);
        if (ends[i] - (intptr_t)s->icv_length < esp_starts[i] + ESP_HEADER + CBC_IV) {
            results[i] = QFP_BURST_INTEGRITY_FAILURE;
            continue;
        }
        // OPENED until the compare says otherwise.
        results[i] = QFP_BURST_OPENED;
        sha1 |= s->hash == IMB_AUTH_HMAC_SHA_1;
        sha256 |= s->hash == IMB_AUTH_HMAC_SHA_256;
        aes128 |= s->key_length == 16;
        aes256 |= s->key_length == 32;
    }
    // 1: HMAC over ESP header ‖ IV ‖ ciphertext, and the constant-time compare.
    if (sha1) authenticate(e, IMB_AUTH_HMAC_SHA_1, first, count, contexts, packets, esp_starts, ends, results);
    if (sha256) authenticate(e, IMB_AUTH_HMAC_SHA_256, first, count, contexts, packets, esp_starts, ends, results);
    // 2: AES-CBC decryption in place, only where the ICV matched.
    if (aes128) decrypt(e, 16, first, count, contexts, packets, esp_starts, ends, results);
    if (aes256) decrypt(e, 32, first, count, contexts, packets, esp_starts, ends, results);
}

void qfp_imb_burst_open(void *engine, intptr_t count, void *const *contexts, void *const *packets,
                        const intptr_t *esp_starts, const intptr_t *ends, uint8_t *results) {
    qfp_imb_burst *e = engine;
    for (intptr_t first = 0; first < count; first += BURST_CHUNK) {
        intptr_t n = count - first < BURST_CHUNK ? count - first : BURST_CHUNK;
        open_chunk(e, first, n, contexts, packets, esp_starts, ends, results);
    }
}

int qfp_imb_burst_init(void *engine, uint64_t transforms, size_t section_offset) {
    qfp_imb_burst *e = engine;
    memset(e, 0, sizeof *e);
    e->manager = qfp_imb_new_manager();
    if (!e->manager) return -1;
    e->open = qfp_imb_burst_open;
    e->transforms = transforms;
    e->section_offset = section_offset;
    return 0;
}

void qfp_imb_burst_destroy(void *engine) {
    qfp_imb_burst *e = engine;
    qfp_imb_free_manager(e->manager);
    explicit_bzero(e, sizeof *e);
}

#else // no <intel-ipsec-mb.h>

size_t qfp_imb_cbc_section_size(void) { return 0; }
size_t qfp_imb_cbc_section_alignment(void) { return 64; }
size_t qfp_imb_burst_size(void) { return 0; }
size_t qfp_imb_burst_alignment(void) { return 64; }

int qfp_imb_cbc_init(void *section, const uint8_t *key, size_t key_length, const uint8_t *auth_key,
                     size_t auth_key_length, int sha256) {
    (void)section; (void)key; (void)key_length; (void)auth_key; (void)auth_key_length; (void)sha256;
    return -1;
}

void qfp_imb_cbc_wipe(void *section) { (void)section; }

int qfp_imb_burst_init(void *engine, uint64_t transforms, size_t section_offset) {
    (void)engine; (void)transforms; (void)section_offset;
    return -1;
}

void qfp_imb_burst_destroy(void *engine) { (void)engine; }

void qfp_imb_burst_open(void *engine, intptr_t count, void *const *contexts, void *const *packets,
                        const intptr_t *esp_starts, const intptr_t *ends, uint8_t *results) {
    (void)engine; (void)contexts; (void)packets; (void)esp_starts; (void)ends;
    for (intptr_t i = 0; i < count; i++) results[i] = QFP_BURST_PER_PACKET;
}

#endif
