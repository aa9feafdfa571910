#include "CBoringAEAD.h"

// The copied layout must match BoringSSL's (8-byte pointer, 560-byte state, tag length).
_Static_assert(sizeof(EVP_AEAD_CTX) == 576, "EVP_AEAD_CTX layout differs from BoringSSL's");
_Static_assert(_Alignof(EVP_AEAD_CTX) == 8, "EVP_AEAD_CTX alignment differs from BoringSSL's");
