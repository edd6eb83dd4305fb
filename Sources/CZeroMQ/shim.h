#ifndef SOMA_CZEROMQ_SHIM_H
#define SOMA_CZEROMQ_SHIM_H
#include <zmq.h>
#endif
