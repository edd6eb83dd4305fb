// A per-thread cache of small freed blocks in front of glibc's malloc, linked into the soma executable only.
//
// An interpreter frees and allocates many small objects in bursts: a sort key makes thousands of tuples, a
// comprehension thousands of strings, and they are freed together. glibc keeps only seven freed blocks per size
// for quick reuse (its tcache); the rest go through its bins, merging and splitting (about 800 instructions per
// tuple measured with callgrind). Like CPython's pymalloc, this keeps freed blocks of up to 264 bytes in
// per-thread lists by size class and hands them out again; larger blocks, and blocks past the cache's budget,
// go straight to glibc. The blocks are glibc's own, so realloc, malloc_usable_size and frees from other threads
// all work on them unchanged.
#define _GNU_SOURCE
#include <malloc.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include "small_alloc.h"

extern void *__libc_malloc(size_t size);
extern void __libc_free(void *block);

// glibc's blocks have room for 24, 40, 56, ... bytes (16k + 8): class k holds blocks with room for at least
// 16k + 8 bytes and serves requests of up to that many.
enum {
    CLASS_COUNT = 17,                   // classes 1...16: up to 264 bytes
    LARGEST = 16 * (CLASS_COUNT - 1) + 8,
    BUDGET_PER_CLASS = 2 << 20,         // bytes a thread keeps per class before freeing to glibc
};

/// The class serving a request of 1...LARGEST bytes.
static inline size_t classOfRequest(size_t size) { return size <= 24 ? 1 : (size + 7) / 16; }

/// The class of a freed block with `room` usable bytes (0: too small to cache, CLASS_COUNT or more: too large).
static inline size_t classOfRoom(size_t room) { return room < 24 ? 0 : (room - 8) / 16; }

/// How many blocks each class keeps: BUDGET_PER_CLASS bytes' worth (a table, not a division per free).
#define LIMIT(c) (BUDGET_PER_CLASS / (16 * (c) + 8))
static const size_t classLimit[CLASS_COUNT] = {
    0, LIMIT(1), LIMIT(2), LIMIT(3), LIMIT(4), LIMIT(5), LIMIT(6), LIMIT(7), LIMIT(8),
    LIMIT(9), LIMIT(10), LIMIT(11), LIMIT(12), LIMIT(13), LIMIT(14), LIMIT(15), LIMIT(16),
};

typedef struct {
    void *head;      // freed blocks, linked through their first word
    size_t count;
} FreeList;

static __thread FreeList lists[CLASS_COUNT] __attribute__((tls_model("initial-exec")));
/// 0: nothing cached yet; 1: cached blocks, flushed when the thread ends; 2: flushed, the thread is ending.
static __thread int threadState __attribute__((tls_model("initial-exec")));
static pthread_key_t exitKey;
static pthread_once_t exitKeyOnce = PTHREAD_ONCE_INIT;

/// Gives a finished thread's cached blocks back to glibc.
static void flush(void *unused) {
    (void)unused;
    for (int c = 1; c < CLASS_COUNT; c++) {
        void *block = lists[c].head;
        while (block) {
            void *next = *(void **)block;
            __libc_free(block);
            block = next;
        }
        lists[c].head = NULL;
        lists[c].count = 0;
    }
    threadState = 2;
}

static void makeExitKey(void) { pthread_key_create(&exitKey, flush); }

void *malloc(size_t size) {
    if (size - 1 < LARGEST) {  // 1...LARGEST bytes
        FreeList *list = &lists[classOfRequest(size)];
        void *block = list->head;
        if (block) {
            list->head = *(void **)block;
            list->count--;
            return block;
        }
    }
    return __libc_malloc(size);
}

void free(void *block) {
    if (!block) return;
    size_t room = malloc_usable_size(block);
    size_t c = classOfRoom(room);
    if (c > 0 && c < CLASS_COUNT) {
        FreeList *list = &lists[c];
        if (list->count < classLimit[c] && threadState != 2) {
            if (threadState == 0) {  // the first cached block of this thread: flush the cache when the thread ends
                threadState = 1;
                pthread_once(&exitKeyOnce, makeExitKey);
                pthread_setspecific(exitKey, (void *)1);
            }
            *(void **)block = list->head;
            list->head = block;
            list->count++;
            return;
        }
    }
    __libc_free(block);
}

size_t soma_small_alloc_cached_bytes(void) {
    size_t total = 0;
    for (int c = 1; c < CLASS_COUNT; c++) total += lists[c].count * (16 * c + 8);
    return total;
}

size_t soma_small_alloc_room(void *block) { return malloc_usable_size(block); }

size_t soma_small_alloc_glibc_in_use(void) { return mallinfo2().uordblks; }
