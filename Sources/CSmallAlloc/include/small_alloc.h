#ifndef SOMA_SMALL_ALLOC_H
#define SOMA_SMALL_ALLOC_H
#include <stddef.h>

/// Bytes of small blocks the calling thread keeps for reuse (for tests and benchmarks).
size_t soma_small_alloc_cached_bytes(void);

/// The room in a block from malloc (glibc's malloc_usable_size).
size_t soma_small_alloc_room(void *block);

/// Bytes glibc counts as allocated in all its arenas, cached blocks included (mallinfo2's uordblks).
size_t soma_small_alloc_glibc_in_use(void);

#endif
