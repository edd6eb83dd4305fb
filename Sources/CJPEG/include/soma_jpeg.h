#ifndef SOMA_JPEG_H
#define SOMA_JPEG_H
#include <stddef.h>

/* libjpeg reports fatal errors by calling error_exit, which must not return; Swift cannot
   catch a longjmp, so these two wrappers do the setjmp here and hand back an error text. */

/* Decodes a JPEG held in memory into 8-bit pixels, 1 channel (grayscale) or 3 (RGB), rows
   top to bottom. On success returns 0 and *out holds width*height*channels bytes allocated
   with malloc (the caller frees it); on failure returns -1 and writes a message into err. */
int soma_jpeg_decode(const unsigned char *data, size_t size, unsigned char **out,
                     int *width, int *height, int *channels, char *err, size_t errlen);

/* Encodes 8-bit pixels (1 or 3 channels) as a baseline JPEG; *out is malloc'ed. */
int soma_jpeg_encode(const unsigned char *pixels, int width, int height, int channels,
                     int quality, unsigned char **out, size_t *outsize, char *err, size_t errlen);

#endif
