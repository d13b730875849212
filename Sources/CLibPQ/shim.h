#ifndef PATCHBAY_CLIBPQ_SHIM_H
#define PATCHBAY_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
