#include "soma_jpeg.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <jpeglib.h>
#include <jerror.h>

struct soma_error_mgr {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    int hit_eof; /* the data ran out: libjpeg warned JWRN_JPEG_EOF and padded the image */
};

static void soma_emit_message(j_common_ptr cinfo, int msg_level) {
    struct soma_error_mgr *e = (struct soma_error_mgr *)cinfo->err;
    if (msg_level < 0) {
        if (e->pub.msg_code == JWRN_JPEG_EOF) e->hit_eof = 1;
        e->pub.num_warnings++;
    }
}

static void soma_error_exit(j_common_ptr cinfo) {
    struct soma_error_mgr *e = (struct soma_error_mgr *)cinfo->err;
    longjmp(e->jump, 1);
}

static void soma_output_message(j_common_ptr cinfo) { (void)cinfo; }

static void describe(j_common_ptr cinfo, char *err, size_t errlen) {
    char buffer[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, buffer);
    if (err && errlen) snprintf(err, errlen, "%s", buffer);
}

int soma_jpeg_decode(const unsigned char *data, size_t size, unsigned char **out,
                     int *width, int *height, int *channels, char *err, size_t errlen) {
    struct jpeg_decompress_struct cinfo;
    struct soma_error_mgr jerr;
    unsigned char *volatile pixels = NULL;
    *out = NULL;
    cinfo.err = jpeg_std_error(&jerr.pub);
    jerr.pub.error_exit = soma_error_exit;
    jerr.pub.output_message = soma_output_message;
    jerr.pub.emit_message = soma_emit_message;
    jerr.hit_eof = 0;
    if (setjmp(jerr.jump)) {
        describe((j_common_ptr)&cinfo, err, errlen);
        jpeg_destroy_decompress(&cinfo);
        free(pixels);
        return -1;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    cinfo.out_color_space = cinfo.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&cinfo);
    int w = (int)cinfo.output_width, h = (int)cinfo.output_height, c = cinfo.output_components;
    size_t stride = (size_t)w * (size_t)c;
    pixels = malloc(stride * (size_t)h + 1);
    if (!pixels) {
        if (err && errlen) snprintf(err, errlen, "out of memory for a %dx%d image", w, h);
        jpeg_destroy_decompress(&cinfo);
        return -1;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = pixels + stride * cinfo.output_scanline;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    if (jerr.hit_eof) {
        /* Premature end of data: libjpeg pads with grey; call the file truncated. */
        if (err && errlen) snprintf(err, errlen, "Premature end of JPEG file: the file is truncated");
        jpeg_destroy_decompress(&cinfo);
        free(pixels);
        return -1;
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    *out = pixels;
    *width = w;
    *height = h;
    *channels = c;
    return 0;
}

int soma_jpeg_encode(const unsigned char *pixels, int width, int height, int channels,
                     int quality, unsigned char **out, size_t *outsize, char *err, size_t errlen) {
    struct jpeg_compress_struct cinfo;
    struct soma_error_mgr jerr;
    unsigned char *buffer = NULL;
    unsigned long buffer_size = 0;
    *out = NULL;
    cinfo.err = jpeg_std_error(&jerr.pub);
    jerr.pub.error_exit = soma_error_exit;
    jerr.pub.output_message = soma_output_message;
    if (setjmp(jerr.jump)) {
        describe((j_common_ptr)&cinfo, err, errlen);
        jpeg_destroy_compress(&cinfo);
        free(buffer);
        return -1;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, &buffer, &buffer_size);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = channels;
    cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    size_t stride = (size_t)width * (size_t)channels;
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + stride * cinfo.next_scanline);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    *out = buffer;
    *outsize = (size_t)buffer_size;
    return 0;
}
