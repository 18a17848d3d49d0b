// SPDX-License-Identifier: GPL-2.0
/*
 * Network devices: allocation, the list of registered devices, their
 * status and the MTU `net.mtu=` asks drivers for.  Registration proper
 * (the rx thread, open) is in rxthread.c; this file has no scheduler
 * dependency so that the host tests and the fuzz target can use real
 * netdevs with a fake driver.
 */
#define pr_fmt(fmt) "net: " fmt

#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/list.h>
#include <lego/params.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <net/netdev_driver.h>

#include "../internal.h"

/* A frame of the largest MTU, with a VLAN tag, fits one pktbuf. */
BUILD_BUG_ON(NET_HEADROOM + ETH_HLEN + VLAN_HLEN + NETDEV_MAX_MTU >
	     PKTBUF_MAX_SIZE);

/* ---- net.mtu ----------------------------------------------------------- */

static u32 netdev_mtu = ETH_DATA_LEN;	/* what net.mtu= asks for */

/*
 * net.mtu=N: decimal, NETDEV_MIN_MTU..NETDEV_MAX_MTU.  Anything else
 * keeps ETH_DATA_LEN: the line below says why, then the parameter parser
 * its "invalid value ... keeping the default".
 */
int netdev_mtu_param(const char *val)
{
	u32 mtu = 0;
	int n;

	/* At most 9 digits: no overflow, and far out of range already. */
	for (n = 0; val && n < 9 && val[n] >= '0' && val[n] <= '9'; n++)
		mtu = mtu * 10 + (val[n] - '0');
	if (!n || (val[n] && !(val[n] == '\n' && !val[n + 1]))) {
		pr_warn("net.mtu=%s is not a decimal number; MTU stays %u\n",
			val ? val : "", netdev_mtu);
		return -EINVAL;
	}
	if (mtu < NETDEV_MIN_MTU || mtu > NETDEV_MAX_MTU) {
		pr_warn("net.mtu=%u is outside %u..%u; MTU stays %u\n", mtu,
			NETDEV_MIN_MTU, NETDEV_MAX_MTU, netdev_mtu);
		return -ERANGE;
	}
	netdev_mtu = mtu;
	return 0;
}
lego_param_cb("net.mtu", netdev_mtu_param,
	      "MTU of every NIC, 68..9000 (default 1500), capped at what the device can carry");

u32 netdev_mtu_wanted(void)
{
	return netdev_mtu;
}

u32 netdev_mtu_for(u32 hw_max)
{
	return netdev_mtu < hw_max ? netdev_mtu : hw_max;
}

/* ---- the device list ----------------------------------------------------- */

/* Devices are added at boot and never removed (tests aside). */
static LIST_HEAD(netdev_list);
static DEFINE_SPINLOCK(netdev_lock);
static int netdev_next_index;

#define NETDEV_PRIV_ALIGN	64
#define NETDEV_PRIV_OFFSET \
	((sizeof(struct netdev) + NETDEV_PRIV_ALIGN - 1) & ~(NETDEV_PRIV_ALIGN - 1))

struct netdev *netdev_alloc(size_t priv_size)
{
	struct netdev *dev;

	if (priv_size > KMALLOC_MAX_SIZE - NETDEV_PRIV_OFFSET)
		return NULL;
	dev = kzalloc(NETDEV_PRIV_OFFSET + priv_size, GFP_KERNEL);
	if (!dev)
		return NULL;
	if (priv_size)
		dev->priv = (u8 *)dev + NETDEV_PRIV_OFFSET;
	dev->mtu = ETH_DATA_LEN;
	dev->index = -1;
	dev->rx_mode = NETDEV_RX_IRQ;
	INIT_LIST_HEAD(&dev->list);
	spin_lock_init(&dev->mode_lock);
	return dev;
}

void netdev_free(struct netdev *dev)
{
	if (!dev)
		return;
	pktbuf_free(__atomic_exchange_n(&dev->tx_held, NULL, __ATOMIC_ACQ_REL));
	kfree(dev);
}

void netdev_list_add(struct netdev *dev)
{
	unsigned long flags;

	net_lock_irqsave(&netdev_lock, flags);
	dev->index = netdev_next_index++;
	snprintf(dev->name, sizeof(dev->name), "eth%d", dev->index);
	list_add_tail(&dev->list, &netdev_list);
	net_unlock_irqrestore(&netdev_lock, flags);
}

void netdev_list_del(struct netdev *dev)
{
	unsigned long flags;

	net_lock_irqsave(&netdev_lock, flags);
	list_del_init(&dev->list);
	net_unlock_irqrestore(&netdev_lock, flags);
}

struct netdev *netdev_get(const char *name)
{
	struct netdev *dev, *found = NULL;
	unsigned long flags;

	net_lock_irqsave(&netdev_lock, flags);
	list_for_each_entry(dev, &netdev_list, list) {
		if (!name || !name[0] || !strcmp(dev->name, name)) {
			found = dev;
			break;
		}
	}
	net_unlock_irqrestore(&netdev_lock, flags);
	return found;
}

struct netdev *netdev_get_by_index(int index)
{
	struct netdev *dev, *found = NULL;
	unsigned long flags;

	net_lock_irqsave(&netdev_lock, flags);
	list_for_each_entry(dev, &netdev_list, list) {
		if (dev->index == index) {
			found = dev;
			break;
		}
	}
	net_unlock_irqrestore(&netdev_lock, flags);
	return found;
}

/* Devices are never freed once listed, so @fn runs without the lock. */
void netdev_for_each(void (*fn)(struct netdev *dev, void *arg), void *arg)
{
	struct netdev *dev;
	int i;

	for (i = 0; (dev = netdev_get_by_index(i)); i++)
		fn(dev, arg);
}

/* The MTU is shown only when it is not Ethernet's 1500. */
int netdev_format_status(struct netdev *dev, char *buf, size_t len)
{
	const char *link = dev->link_up ? "up" : "down";
	const char *drv = dev->driver ? dev->driver : "?";
	char mtu[16] = "";

	if (dev->mtu != ETH_DATA_LEN)
		snprintf(mtu, sizeof(mtu), " mtu %u", dev->mtu);
	if (!dev->ip_addr)
		return snprintf(buf, len, "%s %pM no address link %s%s (%s)",
				dev->name, dev->mac, link, mtu, drv);
	return snprintf(buf, len, "%s %pM %pI4/%u link %s%s (%s)", dev->name,
			dev->mac, &dev->ip_addr, dev->ip_prefix, link, mtu,
			drv);
}

void netdev_print_status(struct netdev *dev)
{
	const struct netdev_stats *s = &dev->stats;
	char line[128];

	if (dev->ops && dev->ops->update_link)
		dev->ops->update_link(dev);
	netdev_format_status(dev, line, sizeof(line));
	pr_info("%s, rx mode %s\n", line,
		dev->rx_mode == NETDEV_RX_IRQ ? "irq" : "poll");
	pr_info("%s: rx %lu packets %lu bytes, dropped own %lu filter %lu nobuf %lu proto %lu, errors %lu\n",
		dev->name, s->rx_packets, s->rx_bytes, s->rx_dropped_own,
		s->rx_dropped_filter, s->rx_dropped_nobuf, s->rx_dropped_proto,
		s->rx_errors);
	pr_info("%s: tx %lu packets %lu bytes, busy %lu, errors %lu\n",
		dev->name, s->tx_packets, s->tx_bytes, s->tx_busy,
		s->tx_errors);
	if (s->tx_dropped_test || s->tx_dup_test || s->tx_reorder_test)
		pr_info("%s: test faults: lost %lu, duplicated %lu, reordered %lu\n",
			dev->name, s->tx_dropped_test, s->tx_dup_test,
			s->tx_reorder_test);
}
