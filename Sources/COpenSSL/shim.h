#ifndef PATCHBAY_COPENSSL_SHIM_H
#define PATCHBAY_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/sha.h>
#endif
