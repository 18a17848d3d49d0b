// SPDX-License-Identifier: GPL-2.0
/*
 * Bringing the stack up, and its housekeeping thread.
 *
 *   core_initcall  net_core_init: packet buffer caches and the EtherType
 *                  handlers, before the PCI drivers (subsys_initcall)
 *                  register their devices
 *   late_initcall  net_ifup: net.ip on net.dev (or the first device),
 *                  the status line, RFC 5227 announcements, the echo
 *                  service and "net-timer", which runs the ARP timers and
 *                  flushes frames held back by net.test_reorder every
 *                  NET_TICK_MS; then the ifup notifiers (soft-RoCE) for
 *                  the configured device
 */
#define pr_fmt(fmt) "net: " fmt

#include <lego/init.h>
#include <lego/kernel.h>
#include <lego/mutex.h>
#include <lego/sched.h>
#include <lego/time.h>
#include <net/arp.h>
#include <net/ip.h>
#include <net/netdev_driver.h>
#include <net/udp.h>

#include "../internal.h"

static int __init net_core_init(void)
{
	int ret = pktbuf_init();

	if (ret)
		return ret;
	ret = ip_init();	/* first: the hot EtherType is found first */
	if (ret)
		return ret;
	return arp_init();
}
core_initcall(net_core_init);

static DEFINE_MUTEX(ifup_mutex);
static LIST_HEAD(ifup_notifiers);
static bool ifup_done;			/* net_ifup() ran; under ifup_mutex */

static void ifup_notify_one(struct netdev *dev, void *arg)
{
	struct ip_ifup_notifier *n = arg;

	if (dev->ip_addr)
		n->ifup(dev);
}

void ip_register_ifup_notifier(struct ip_ifup_notifier *n)
{
	mutex_lock(&ifup_mutex);
	list_add_tail(&n->list, &ifup_notifiers);
	if (ifup_done)
		netdev_for_each(ifup_notify_one, n);
	mutex_unlock(&ifup_mutex);
}

static void ifup_notify_all(struct netdev *dev)
{
	struct ip_ifup_notifier *n;

	mutex_lock(&ifup_mutex);
	ifup_done = true;
	if (dev && dev->ip_addr)
		list_for_each_entry(n, &ifup_notifiers, list)
			n->ifup(dev);
	mutex_unlock(&ifup_mutex);
}

static void net_flush_held_cb(struct netdev *dev, void *arg)
{
	netdev_flush_held(dev);
}

static int net_timer_thread(void *arg)
{
	for (;;) {
		NET_INC(net_tick);
		arp_tick(ktime_get_ns());
		netdev_for_each(net_flush_held_cb, NULL);
		msleep(NET_TICK_MS);
	}
	return 0;
}

static void net_print_dev(struct netdev *dev, void *arg)
{
	char line[128];

	if (dev->ops->update_link)
		dev->ops->update_link(dev);
	netdev_format_status(dev, line, sizeof(line));
	pr_info("%s\n", line);
}

static struct netdev *net_pick_dev(void)
{
	struct netdev *dev = netdev_get(net_dev_name);

	if (!dev && net_dev_name[0])
		pr_err("net.dev=%s: no such device\n", net_dev_name);
	return dev;
}

static void net_configure(struct netdev *dev)
{
	int ret;

	if (!net_ip_set)
		return;
	ret = ipv4_configure(dev, net_ip_addr, net_ip_prefix);
	if (ret)
		pr_err("net.ip=%pI4/%u: not a host address (%d)\n",
		       &net_ip_addr, net_ip_prefix, ret);
}

static int __init net_ifup(void)
{
	struct netdev *dev = net_pick_dev();

	if (!dev) {
		if (net_ip_set)
			pr_err("net.ip=%pI4/%u given, but no network device\n",
			       &net_ip_addr, net_ip_prefix);
		else
			pr_info("no network device\n");
		ifup_notify_all(NULL);
		return 0;
	}
	net_configure(dev);
	netdev_for_each(net_print_dev, NULL);
	if (!kthread_create(net_timer_thread, NULL, "net-timer"))
		pr_err("no housekeeping thread: ARP will not time out\n");
	if (!dev->ip_addr) {
		ifup_notify_all(NULL);
		return 0;
	}
	arp_announce(dev);
	if (net_echo_port > 65535)
		pr_err("net.echo_port=%u: not a port\n", net_echo_port);
	else if (net_echo_port)
		udp_echo_start(net_echo_port);	/* it logs the outcome */
	ifup_notify_all(dev);
	return 0;
}
late_initcall(net_ifup);
