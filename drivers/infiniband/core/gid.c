// SPDX-License-Identifier: GPL-2.0
/*
 * GID tables, one per port.
 *
 * On a RoCE port (one with a netdev) the table follows the netdev, the
 * way Linux's roce_gid_mgmt.c fills it for rxe, with RoCEv2 entries only:
 *
 *	0  fe80::/64 + the MAC's EUI-64 (the default, link-local GID)
 *	1  ::ffff:a.b.c.d, the netdev's IPv4 address (while it has one)
 *
 * The netdev layer has no change notifier, so every query compares the
 * netdev's MAC and address with what the table was built from and
 * rebuilds it on a change (logged).  A QP keeps the GID index it was
 * given; RTR checks that the entry exists.  On an InfiniBand port the
 * provider sets entries with ib_gid_set().
 */
#define pr_fmt(fmt) pr_fmt_ib(fmt)

#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/string.h>
#include <net/byteorder.h>

#include "internal.h"

#define GID_INDEX_DEFAULT	0
#define GID_INDEX_IPV4		1

void ib_gid_from_mac(union ib_gid *gid, const u8 *mac)
{
	memset(gid, 0, sizeof(*gid));
	gid->raw[0] = 0xfe;
	gid->raw[1] = 0x80;
	/* modified EUI-64: flip the universal/local bit, insert ff:fe */
	gid->raw[8] = mac[0] ^ 0x02;
	gid->raw[9] = mac[1];
	gid->raw[10] = mac[2];
	gid->raw[11] = 0xff;
	gid->raw[12] = 0xfe;
	gid->raw[13] = mac[3];
	gid->raw[14] = mac[4];
	gid->raw[15] = mac[5];
}

static void gid_fill(struct ib_port_data *pd, int index, u32 port,
		     const union ib_gid *gid, enum ib_gid_type type)
{
	struct ib_gid_attr *a = &pd->gid[index];

	a->gid = *gid;
	a->gid_type = type;
	a->index = index;
	a->port_num = port;
	a->ndev = pd->ndev;
	pd->gid_valid[index] = true;
}

/* Rebuild a RoCE port's table from @mac and @ip, under gid_lock. */
static void gid_rebuild_locked(struct ib_port_data *pd, u32 port,
			       const u8 *mac, __be32 ip)
{
	union ib_gid gid;

	memset(pd->gid_valid, 0, sizeof(pd->gid_valid));
	ib_gid_from_mac(&gid, mac);
	gid_fill(pd, GID_INDEX_DEFAULT, port, &gid, IB_GID_TYPE_ROCE_UDP_ENCAP);
	if (ip) {
		rdma_gid_from_ipv4(&gid, ip);
		gid_fill(pd, GID_INDEX_IPV4, port, &gid,
			 IB_GID_TYPE_ROCE_UDP_ENCAP);
	}
	memcpy(pd->built_mac, mac, ETH_ALEN);
	pd->built_ip = ip;
	pd->built = true;
}

void ib_gid_refresh(struct ib_device *dev, u32 port)
{
	struct ib_port_data *pd = ib_port(dev, port);
	struct ib_core *core = dev->core;
	unsigned long flags;
	bool changed, first;
	u8 mac[ETH_ALEN];
	__be32 ip;

	if (!pd->ndev)
		return;
	memcpy(mac, pd->ndev->mac, ETH_ALEN);
	ip = READ_ONCE(pd->ndev->ip_addr);
	ib_lock_irqsave(&core->gid_lock, flags);
	first = !pd->built;
	changed = first || ip != pd->built_ip ||
		  memcmp(mac, pd->built_mac, ETH_ALEN);
	if (changed)
		gid_rebuild_locked(pd, port, mac, ip);
	ib_unlock_irqrestore(&core->gid_lock, flags);
	if (changed && !first)
		pr_info("%s port %u: GID table rebuilt for %pM %pI4\n",
			dev->name, port, mac, &ip);
}

int ib_gid_set(struct ib_device *dev, u32 port_num, int index,
	       const union ib_gid *gid, enum ib_gid_type type)
{
	struct ib_port_data *pd;
	unsigned long flags;

	if (!dev || !ib_port_valid(dev, port_num) || index < 0 ||
	    index >= IB_GID_TABLE_LEN || type > IB_GID_TYPE_ROCE_UDP_ENCAP)
		return -EINVAL;
	pd = ib_port(dev, port_num);
	if (pd->ndev)			/* RoCE tables follow the netdev */
		return -EINVAL;
	ib_lock_irqsave(&dev->core->gid_lock, flags);
	if (gid)
		gid_fill(pd, index, port_num, gid, type);
	else
		pd->gid_valid[index] = false;
	ib_unlock_irqrestore(&dev->core->gid_lock, flags);
	return 0;
}

int ib_query_gid_attr(struct ib_device *dev, u32 port_num, int index,
		      struct ib_gid_attr *attr)
{
	struct ib_port_data *pd;
	unsigned long flags;
	int err = 0;

	if (!dev || !attr || !dev->registered || !ib_port_valid(dev, port_num) ||
	    index < 0 || index >= IB_GID_TABLE_LEN)
		return -EINVAL;
	ib_gid_refresh(dev, port_num);
	pd = ib_port(dev, port_num);
	ib_lock_irqsave(&dev->core->gid_lock, flags);
	if (pd->gid_valid[index])
		*attr = pd->gid[index];
	else
		err = -ENOENT;
	ib_unlock_irqrestore(&dev->core->gid_lock, flags);
	return err;
}

int ib_query_gid(struct ib_device *dev, u32 port_num, int index,
		 union ib_gid *gid)
{
	struct ib_gid_attr attr;
	int err;

	if (!gid)
		return -EINVAL;
	err = ib_query_gid_attr(dev, port_num, index, &attr);
	if (!err)
		*gid = attr.gid;
	return err;
}

int ib_find_gid(struct ib_device *dev, const union ib_gid *gid,
		u32 *port_num, u16 *index)
{
	struct ib_gid_attr attr;
	u32 port;
	int i;

	if (!dev || !gid)
		return -EINVAL;
	for (port = rdma_start_port(dev); port <= rdma_end_port(dev); port++) {
		for (i = 0; i < IB_GID_TABLE_LEN; i++) {
			if (ib_query_gid_attr(dev, port, i, &attr) ||
			    !rdma_gid_equal(&attr.gid, gid))
				continue;
			if (port_num)
				*port_num = port;
			if (index)
				*index = i;
			return 0;
		}
	}
	return -ENOENT;
}
