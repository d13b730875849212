#ifndef PATCHBAY_CCURL_SHIM_H
#define PATCHBAY_CCURL_SHIM_H
#include <curl/curl.h>
#endif
