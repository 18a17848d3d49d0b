/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtio network device: OASIS VIRTIO 1.0 (cs04) section 5.1.
 */
#ifndef _DRIVERS_NET_VIRTIO_NET_REGS_H
#define _DRIVERS_NET_VIRTIO_NET_REGS_H

#include <lego/compiler.h>
#include <lego/types.h>

/* 5.1.2 Virtqueues: receiveq1 and transmitq1 (no MQ, no control queue) */
#define VIRTIO_NET_RXQ			0
#define VIRTIO_NET_TXQ			1

/* 5.1.3 Feature bits (those this driver knows the meaning of) */
#define VIRTIO_NET_F_CSUM		0
#define VIRTIO_NET_F_GUEST_CSUM		1
#define VIRTIO_NET_F_MTU		3
#define VIRTIO_NET_F_MAC		5	/* config.mac is valid */
#define VIRTIO_NET_F_MRG_RXBUF		15
#define VIRTIO_NET_F_STATUS		16	/* config.status is valid */
#define VIRTIO_NET_F_CTRL_VQ		17
#define VIRTIO_NET_F_MQ			22

/* 5.1.4 Device configuration layout (struct virtio_net_config) */
#define VIRTIO_NET_CFG_MAC		0	/* u8[6] */
#define VIRTIO_NET_CFG_STATUS		6	/* le16, with F_STATUS */
#define VIRTIO_NET_CFG_MAX_VQ_PAIRS	8	/* le16, with F_MQ */
#define VIRTIO_NET_CFG_MTU		10	/* le16, with F_MTU */

#define VIRTIO_NET_S_LINK_UP		1
#define VIRTIO_NET_S_ANNOUNCE		2

/*
 * 5.1.6 Device Operation: every buffer starts with this header.  With
 * VIRTIO_F_VERSION_1 it always includes num_buffers (12 bytes).  All zero
 * on transmit means: no checksum offload, no segmentation.
 */
struct virtio_net_hdr {
	u8 flags;
	u8 gso_type;
	u16 hdr_len;
	u16 gso_size;
	u16 csum_start;
	u16 csum_offset;
	u16 num_buffers;
};

#define VIRTIO_NET_HDR_LEN		12
BUILD_BUG_ON(sizeof(struct virtio_net_hdr) != VIRTIO_NET_HDR_LEN);

#endif /* _DRIVERS_NET_VIRTIO_NET_REGS_H */
