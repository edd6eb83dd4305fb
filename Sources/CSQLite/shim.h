#ifndef SOMA_CSQLITE_SHIM_H
#define SOMA_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
