#include "CBoringAEAD.h"

// The copied layout must match BoringSSL's (8-byte pointer, 560-byte state, tag length).
_Static_assert(sizeof(EVP_AEAD_CTX) == 576, "EVP_AEAD_CTX layout differs from BoringSSL's");
_Static_assert(_Alignof(EVP_AEAD_CTX) == 8, "EVP_AEAD_CTX alignment differs from BoringSSL's");
// AES_KEY: 60 round-key words and the round count.
_Static_assert(sizeof(AES_KEY) == 244, "AES_KEY layout differs from BoringSSL's");
// SHA_CTX: h[5], Nl, Nh, a 64-byte block, num.
_Static_assert(sizeof(SHA_CTX) == 96, "SHA_CTX layout differs from BoringSSL's");
// SHA256_CTX: h[8], Nl, Nh, a 64-byte block, num, md_len.
_Static_assert(sizeof(SHA256_CTX) == 112, "SHA256_CTX layout differs from BoringSSL's");
