/*
 * Kiosk WLT photo decoder plug-in interface, version 1.
 *
 * The resident-ID SAM hands over the face photo as 1024 bytes of a proprietary wavelet
 * format ("WLT"). No open-source decoder exists, so the kiosk loads a vendor decoder at
 * run time through this small interface (a thin shim around e.g. libwlt2bmp.so).
 * Configure its path as backends.id_reader.sam.wlt_plugin.
 */
#ifndef KIOSK_WLT_PLUGIN_H
#define KIOSK_WLT_PLUGIN_H

#define KIOSK_WLT_ABI_VERSION 1
#define KIOSK_WLT_INPUT_BYTES 1024
#define KIOSK_WLT_WIDTH 102
#define KIOSK_WLT_HEIGHT 126
/* 24-bit BGR, top row first, no row padding: 102 * 126 * 3 bytes */
#define KIOSK_WLT_OUTPUT_BYTES (KIOSK_WLT_WIDTH * KIOSK_WLT_HEIGHT * 3)

/* Returns KIOSK_WLT_ABI_VERSION. */
int kiosk_wlt_abi_version(void);

/*
 * Decodes `wlt` (wlt_len bytes, normally 1024) into `bgr` (bgr_len bytes, at least
 * KIOSK_WLT_OUTPUT_BYTES). Returns 0 on success or a negative vendor error code
 * (e.g. -15: the vendor's authorisation file is missing). Must be thread-safe or be
 * called from one thread only (the kiosk calls it from the reader's worker thread).
 */
int kiosk_wlt_decode(const unsigned char *wlt, unsigned int wlt_len,
                     unsigned char *bgr, unsigned int bgr_len);

#endif
