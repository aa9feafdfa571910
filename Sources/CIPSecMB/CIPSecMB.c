#include "CIPSecMB.h"
#include "CIPSecMBInternal.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#ifdef QFP_HAVE_IPSEC_MB

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

// MARK: the library, once per process

#define QFP_IMB_SONAME "libIPSec_MB.so.1"

typedef IMB_MGR *(*alloc_mb_mgr_fn)(uint64_t);
typedef void (*init_mb_mgr_auto_fn)(IMB_MGR *, IMB_ARCH *);
typedef void (*free_mb_mgr_fn)(IMB_MGR *);
typedef unsigned (*imb_get_version_fn)(void);
typedef const char *(*imb_get_version_str_fn)(void);

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
// Written only inside `load` (pthread_once orders it before every reader's return from
// pthread_once), read-only afterwards.
static IMB_MGR *manager;
// Kept for the per-worker managers of the CBC burst engines (`qfp_imb_burst_init`).
static alloc_mb_mgr_fn alloc_manager;
static init_mb_mgr_auto_fn init_manager;
static free_mb_mgr_fn free_manager;
static IMB_ARCH arch = IMB_ARCH_NONE;
static const char *version = "unavailable";
static char error_text[320];
static const char *error;

static void fail(const char *what, const char *detail) {
    // Names the library in `what`; the package name is appended.
    snprintf(error_text, sizeof error_text, "%s%s%s (Debian/Ubuntu: apt-get install libipsec-mb-dev)",
             what, detail ? ": " : "", detail ? detail : "");
    error = error_text;
}

static void load(void) {
    // QFP_IPSEC_MB_LIBRARY names another file (tests use a missing one for the fallback path).
    const char *name = getenv("QFP_IPSEC_MB_LIBRARY");
    if (!name || !*name) name = QFP_IMB_SONAME;
    void *library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        const char *why = dlerror();
        char what[256];
        snprintf(what, sizeof what, "cannot load %s", name);
        fail(what, why);
        return;
    }
    alloc_mb_mgr_fn alloc = (alloc_mb_mgr_fn)dlsym(library, "alloc_mb_mgr");
    init_mb_mgr_auto_fn init = (init_mb_mgr_auto_fn)dlsym(library, "init_mb_mgr_auto");
    free_mb_mgr_fn release = (free_mb_mgr_fn)dlsym(library, "free_mb_mgr");
    imb_get_version_fn get_version = (imb_get_version_fn)dlsym(library, "imb_get_version");
    imb_get_version_str_fn get_version_str = (imb_get_version_str_fn)dlsym(library, "imb_get_version_str");
    if (!alloc || !init || !release || !get_version || !get_version_str) {
        fail(QFP_IMB_SONAME " lacks alloc_mb_mgr, init_mb_mgr_auto, free_mb_mgr or imb_get_version", NULL);
        dlclose(library);
        return;
    }
    // IMB_MGR's layout is read through the header this file was compiled with; the library
    // only appends to it within a major version, so it must be the same major and not older.
    unsigned have = get_version();
    if ((have >> 16) != (IMB_VERSION_NUM >> 16) || have < (unsigned)IMB_VERSION_NUM) {
        char detail[96];
        snprintf(detail, sizeof detail, "library %s, built against %s", get_version_str(), IMB_VERSION_STR);
        fail(QFP_IMB_SONAME " version does not match", detail);
        dlclose(library);
        return;
    }
    IMB_MGR *m = alloc(0);
    if (!m) {
        fail("alloc_mb_mgr failed", NULL);
        dlclose(library);
        return;
    }
    IMB_ARCH chosen = IMB_ARCH_NONE;
    init(m, &chosen);
    if (chosen == IMB_ARCH_NONE || chosen == IMB_ARCH_NOAESNI || !m->gcm128_pre || !m->gcm256_pre
        || !m->gcm128_enc || !m->gcm128_dec || !m->gcm256_enc || !m->gcm256_dec) {
        fail("init_mb_mgr_auto found no AES-NI code path for this CPU", NULL);
        release(m);
        dlclose(library);
        return;
    }
    // Kept for the life of the process: contexts hold function pointers into the library.
    manager = m;
    alloc_manager = alloc;
    init_manager = init;
    free_manager = release;
    arch = chosen;
    version = get_version_str();
}

int qfp_imb_load(void) {
    pthread_once(&load_once, load);
    return manager != NULL;
}

const char *qfp_imb_error(void) {
    return error;
}

const char *qfp_imb_arch(void) {
    if (!manager) return "unavailable";
    switch (arch) {
    case IMB_ARCH_AVX512: return "avx512";
    case IMB_ARCH_AVX2: return "avx2";
    case IMB_ARCH_AVX: return "avx";
    case IMB_ARCH_SSE: return "sse";
    case IMB_ARCH_NOAESNI: return "no-aesni";
    default: return "unknown";
    }
}

const char *qfp_imb_version(void) {
    return version;
}

IMB_MGR *qfp_imb_key_manager(void) {
    return qfp_imb_load() ? manager : NULL;
}

IMB_MGR *qfp_imb_new_manager(void) {
    if (!qfp_imb_load()) return NULL;
    IMB_MGR *m = alloc_manager(0);
    if (!m) return NULL;
    IMB_ARCH chosen = IMB_ARCH_NONE;
    init_manager(m, &chosen);
    return m;
}

void qfp_imb_free_manager(IMB_MGR *m) {
    if (m && free_manager) free_manager(m);
}

// MARK: per-SA context

typedef struct {
    qfp_esp_functions functions;
    uintptr_t kind;
    /// RFC 4106 salt, as on the wire.
    uint8_t salt[4];
    aes_gcm_enc_dec_t encrypt;
    aes_gcm_enc_dec_t decrypt;
    // The header aligns it only when LINUX is defined (as the library's own build does); the
    // VAES/AVX-512 code expects 64.
    _Alignas(64) struct gcm_key_data key;
} qfp_imb_gcm_context;

_Static_assert(offsetof(qfp_imb_gcm_context, kind) == 3 * sizeof(void *), "kind word right after the table");
_Static_assert(offsetof(qfp_imb_gcm_context, key) % 64 == 0, "gcm_key_data 64-byte aligned");

enum { ESP_HEADER = 8, GCM_IV = 8, GCM_ICV = 16 };

/// salt ‖ explicit IV (RFC 4106 §4).
static inline void make_nonce(const qfp_imb_gcm_context *c, const uint8_t *iv, uint8_t nonce[12]) {
    memcpy(nonce, c->salt, 4);
    memcpy(nonce + 4, iv, GCM_IV);
}

// Decrypts in place in one pass (AES-CTR and GHASH over the ciphertext stitched together),
// then compares the tag. On a bad tag it runs the same CTR keystream over the buffer once
// more (GCM encryption with the same nonce), which restores the ciphertext byte for byte, so
// plaintext is only left in the packet when the ICV is good. Why this order: a good packet —
// the case that sets throughput — costs one fused pass; checking first (GHASH alone, then
// decrypt) would cost two passes on every packet, and a bad one costs two here.
static bool gcm_verify(void *context, void *packet, intptr_t esp_start, intptr_t end) {
    const qfp_imb_gcm_context *c = context;
    uint8_t *p = packet;
    intptr_t iv_start = esp_start + ESP_HEADER;
    intptr_t payload_start = iv_start + GCM_IV;
    intptr_t icv_start = end - GCM_ICV;
    if (icv_start < payload_start) return false;
    uint64_t length = (uint64_t)(icv_start - payload_start);
    uint8_t nonce[12];
    make_nonce(c, p + iv_start, nonce);
    struct gcm_context_data state;
    uint8_t tag[GCM_ICV];
    c->decrypt(&c->key, &state, p + payload_start, p + payload_start, length, nonce, p + esp_start, ESP_HEADER,
               tag, GCM_ICV);
    if (qfp_icv_differs(tag, p + icv_start, GCM_ICV) == 0) return true;
    c->encrypt(&c->key, &state, p + payload_start, p + payload_start, length, nonce, p + esp_start, ESP_HEADER,
               tag, GCM_ICV);
    return false;
}

/// Nothing left to do: `gcm_verify` decrypted.
static bool gcm_decrypt(void *context, void *packet, intptr_t payload_start, intptr_t payload_end) {
    (void)context; (void)packet; (void)payload_start; (void)payload_end;
    return true;
}

// Explicit IV = 0 ‖ the 32-bit sequence number, as SwiftCryptoProvider's AESGCM does: unique
// per SA because the data plane never reuses a sequence number (RFC 4106 §3.1).
static void gcm_seal(void *context, void *packet, intptr_t esp_start, intptr_t payload_start, intptr_t icv_start) {
    const qfp_imb_gcm_context *c = context;
    uint8_t *p = packet;
    intptr_t iv_start = payload_start - GCM_IV;
    if (icv_start < payload_start || iv_start < esp_start + ESP_HEADER) {
        // Never send clear text: blank what lies between the header and the ICV, and the ICV.
        if (icv_start >= esp_start + ESP_HEADER) memset(p + esp_start + ESP_HEADER, 0, (size_t)(icv_start - esp_start - ESP_HEADER) + GCM_ICV);
        return;
    }
    // The nonce is built from the salt and the header, then its IV part stored in the packet
    // (reading the IV back from the packet would wait on the two 4-byte stores).
    uint8_t nonce[12];
    memcpy(nonce, c->salt, 4);
    memset(nonce + 4, 0, 4);
    memcpy(nonce + 8, p + esp_start + 4, 4);
    memcpy(p + iv_start, nonce + 4, GCM_IV);
    struct gcm_context_data state;
    c->encrypt(&c->key, &state, p + payload_start, p + payload_start, (uint64_t)(icv_start - payload_start), nonce,
               p + esp_start, ESP_HEADER, p + icv_start, GCM_ICV);
}

size_t qfp_imb_gcm_context_size(void) {
    return sizeof(qfp_imb_gcm_context);
}

size_t qfp_imb_gcm_context_alignment(void) {
    return _Alignof(qfp_imb_gcm_context);
}

int qfp_imb_gcm_init(void *context, const uint8_t *key, size_t key_length, const uint8_t *salt) {
    if (!qfp_imb_load()) return -1;
    if (key_length != 16 && key_length != 32) return -2;
    qfp_imb_gcm_context *c = context;
    memset(c, 0, sizeof *c);
    c->functions.verify = gcm_verify;
    c->functions.decrypt = gcm_decrypt;
    c->functions.seal = gcm_seal;
    c->kind = QFP_IMB_KIND_GCM;
    memcpy(c->salt, salt, 4);
    if (key_length == 16) {
        c->encrypt = manager->gcm128_enc;
        c->decrypt = manager->gcm128_dec;
        manager->gcm128_pre(key, &c->key);
    } else {
        c->encrypt = manager->gcm256_enc;
        c->decrypt = manager->gcm256_dec;
        manager->gcm256_pre(key, &c->key);
    }
    return 0;
}

void qfp_imb_gcm_wipe(void *context) {
    explicit_bzero(context, sizeof(qfp_imb_gcm_context));
}

#else // no <intel-ipsec-mb.h>: every entry point says unavailable

int qfp_imb_load(void) { return 0; }

const char *qfp_imb_error(void) {
    return "qfp was built without <intel-ipsec-mb.h> (Debian/Ubuntu: apt-get install libipsec-mb-dev, then rebuild)";
}

const char *qfp_imb_arch(void) { return "unavailable"; }

const char *qfp_imb_version(void) { return "unavailable"; }

size_t qfp_imb_gcm_context_size(void) { return 0; }

size_t qfp_imb_gcm_context_alignment(void) { return 64; }

int qfp_imb_gcm_init(void *context, const uint8_t *key, size_t key_length, const uint8_t *salt) {
    (void)context; (void)key; (void)key_length; (void)salt;
    return -1;
}

void qfp_imb_gcm_wipe(void *context) { (void)context; }

#endif
