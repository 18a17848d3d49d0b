/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CRC-32 over bytes, least significant bit first (lib/crc32.c).
 *
 * crc32_le:  IEEE 802.3 polynomial, reflected 0xEDB88320 (Ethernet FCS,
 *            RoCEv2 ICRC, zlib).
 * crc32c_le: Castagnoli polynomial, reflected 0x82F63B78 (iSCSI, SCTP, ext4).
 *
 * As in Linux, neither inverts: @crc is the running register, so the usual
 * CRC (init ~0, final xor ~0) of a buffer is ~crc32_le(~0, buf, len), and a
 * buffer may be fed in pieces: crc32_le(crc32_le(c, a, n), b, m) equals the
 * CRC of a followed by b.
 */
#ifndef _LEGO_CRC32_H
#define _LEGO_CRC32_H

#include <lego/types.h>

#define CRC32_POLY_LE	0xedb88320
#define CRC32C_POLY_LE	0x82f63b78

u32 crc32_le(u32 crc, const void *p, size_t len);
u32 crc32c_le(u32 crc, const void *p, size_t len);

#endif /* _LEGO_CRC32_H */
