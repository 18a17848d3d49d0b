// SPDX-License-Identifier: GPL-2.0
/*
 * RDMA devices and their clients.
 *
 * A provider allocates a device with ib_alloc_device(), fills in its ops,
 * attrs and ports and calls ib_register_device(); the core checks the ops
 * table (required members), sets up its per-device tables (MR keys in
 * pd_mr.c, QP numbers in qp.c, GIDs in gid.c) and calls the add() of
 * every registered client.  Clients (FIT) register with
 * ib_register_client() and hear of every device, present and future.
 * One mutex serialises both lists and every add()/remove() call.
 *
 * Also here: port queries, the asynchronous event names, and the two
 * helpers every object file uses for counts and reference draining.
 */
#define pr_fmt(fmt) pr_fmt_ib(fmt)

#include <lego/bitmap.h>
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/list.h>
#include <lego/mutex.h>
#include <lego/slab.h>
#include <lego/string.h>

#include "internal.h"

static DEFINE_MUTEX(ib_mutex);
/* Under ib_mutex: */
static LIST_HEAD(ib_devices);
static LIST_HEAD(ib_clients);
static DECLARE_BITMAP(ib_client_ids, IB_MAX_CLIENTS);

static const char *const ib_event_names[] = {
	[IB_EVENT_CQ_ERR]		= "CQ error",
	[IB_EVENT_QP_FATAL]		= "QP fatal error",
	[IB_EVENT_QP_REQ_ERR]		= "QP request error",
	[IB_EVENT_QP_ACCESS_ERR]	= "QP access error",
	[IB_EVENT_COMM_EST]		= "communication established",
	[IB_EVENT_SQ_DRAINED]		= "send queue drained",
	[IB_EVENT_PATH_MIG]		= "path migration successful",
	[IB_EVENT_PATH_MIG_ERR]		= "path migration error",
	[IB_EVENT_DEVICE_FATAL]		= "device fatal error",
	[IB_EVENT_PORT_ACTIVE]		= "port active",
	[IB_EVENT_PORT_ERR]		= "port error",
	[IB_EVENT_LID_CHANGE]		= "LID change",
	[IB_EVENT_PKEY_CHANGE]		= "P_key change",
	[IB_EVENT_SM_CHANGE]		= "SM change",
	[IB_EVENT_SRQ_ERR]		= "SRQ error",
	[IB_EVENT_SRQ_LIMIT_REACHED]	= "SRQ limit reached",
	[IB_EVENT_QP_LAST_WQE_REACHED]	= "last WQE reached",
	[IB_EVENT_CLIENT_REREGISTER]	= "client reregister",
	[IB_EVENT_GID_CHANGE]		= "GID changed",
};

const char *ib_event_msg(enum ib_event_type event)
{
	if ((unsigned int)event >= ARRAY_SIZE(ib_event_names) ||
	    !ib_event_names[event])
		return "unrecognized event";
	return ib_event_names[event];
}

bool ib_count_get(atomic_t *c, int max)
{
	if (atomic_inc_return(c) <= max)
		return true;
	atomic_dec(c);
	return false;
}

void ib_wait_for_refs(atomic_t *refcnt, const char *what, u32 id)
{
	unsigned int ms = 0;

	while (atomic_read(refcnt) > 1) {
		msleep(1);
		if (++ms % 1000 == 0)
			pr_warn("still waiting for %s %#x: %d references\n",
				what, id, atomic_read(refcnt) - 1);
	}
}

/* ---- allocation ---------------------------------------------------------- */

struct ib_device *_ib_alloc_device(size_t size)
{
	struct ib_device *dev;

	if (size < sizeof(*dev))
		return NULL;
	dev = kzalloc(size, GFP_KERNEL);
	if (!dev)
		return NULL;
	dev->core = kzalloc(sizeof(*dev->core), GFP_KERNEL);
	if (!dev->core) {
		kfree(dev);
		return NULL;
	}
	spin_lock_init(&dev->core->mr_lock);
	spin_lock_init(&dev->core->qp_lock);
	spin_lock_init(&dev->core->gid_lock);
	INIT_LIST_HEAD(&dev->list);
	return dev;
}

static bool device_busy(struct ib_device *dev)
{
	struct ib_core *core = dev->core;

	return atomic_read(&core->nr_pd) || atomic_read(&core->nr_mr) ||
	       atomic_read(&core->nr_cq) || atomic_read(&core->nr_qp);
}

void ib_dealloc_device(struct ib_device *dev)
{
	if (!dev)
		return;
	if (dev->registered || device_busy(dev)) {
		pr_err("%s: freeing a device in use refused\n", dev->name);
		return;
	}
	ib_qp_table_free(dev);
	ib_mr_table_free(dev);
	kfree(dev->core);
	kfree(dev);
}

int ib_device_set_netdev(struct ib_device *dev, struct netdev *ndev,
			 u32 port_num)
{
	if (!dev || dev->registered || port_num < 1 || port_num > IB_MAX_PORTS)
		return -EINVAL;
	dev->core->port[port_num - 1].ndev = ndev;
	return 0;
}

/* ---- registration ------------------------------------------------------- */

/* Every required op present and the limits usable: 0 or -EINVAL. */
static int check_device(const struct ib_device *dev)
{
	const struct ib_device_ops *ops = dev->ops;
	const struct ib_device_attr *a = &dev->attrs;

	if (!ops || !ops->query_port || !ops->create_qp || !ops->modify_qp ||
	    !ops->destroy_qp || !ops->post_send || !ops->post_recv)
		return -EINVAL;
	if (dev->phys_port_cnt < 1 || dev->phys_port_cnt > IB_MAX_PORTS)
		return -EINVAL;
	if (a->max_qp < 1 || a->max_qp > IB_CORE_MAX_QP || a->max_qp_wr < 1 ||
	    a->max_send_sge < 1 || a->max_recv_sge < 1 || a->max_cq < 1 ||
	    a->max_cqe < 1 || a->max_mr < 1 || a->max_mr > IB_CORE_MAX_MR ||
	    a->max_pd < 1 || a->max_qp_rd_atom < 0 ||
	    a->max_qp_init_rd_atom < 0 || a->max_mr_size < 1)
		return -EINVAL;
	if ((u64)dev->min_qpn + a->max_qp > IB_QPN_MASK + 1ULL ||
	    (u64)dev->min_mr_index + a->max_mr > (1ULL << 24))
		return -EINVAL;
	return 0;
}

static struct ib_device *find_device(const char *name)
{
	struct ib_device *dev;

	list_for_each_entry(dev, &ib_devices, list)
		if (!strcmp(dev->name, name))
			return dev;
	return NULL;
}

/* @fmt with its "%d" (if any) replaced by the lowest free number. */
static int assign_name(struct ib_device *dev, const char *fmt)
{
	const char *pct = strstr(fmt, "%d");
	char buf[IB_DEVICE_NAME_MAX];
	int i;

	if (!*fmt || strlen(fmt) >= IB_DEVICE_NAME_MAX - 4)
		return -EINVAL;
	if (!pct) {
		if (find_device(fmt))
			return -EEXIST;
		strscpy(dev->name, fmt, sizeof(dev->name));
		return 0;
	}
	if (strchr(pct + 2, '%') || memchr(fmt, '%', pct - fmt))
		return -EINVAL;
	for (i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "%.*s%d%s", (int)(pct - fmt), fmt, i,
			 pct + 2);
		if (!find_device(buf)) {
			strscpy(dev->name, buf, sizeof(dev->name));
			return 0;
		}
	}
	return -ENOSPC;
}

static void client_add_one(struct ib_client *client, struct ib_device *dev)
{
	int err = client->add ? client->add(dev) : 0;

	if (err) {
		pr_warn("client %s refused %s: %d\n", client->name, dev->name,
			err);
		return;
	}
	dev->core->client_added[client->client_id] = true;
}

static void client_remove_one(struct ib_client *client, struct ib_device *dev)
{
	struct ib_core *core = dev->core;
	u32 id = client->client_id;

	if (!core->client_added[id])
		return;
	if (client->remove)
		client->remove(dev, core->client_data[id]);
	core->client_added[id] = false;
	core->client_data[id] = NULL;
}

static int setup_tables(struct ib_device *dev)
{
	int err;
	u32 p;

	if (!dev->min_qpn)
		dev->min_qpn = 2;
	if (!dev->min_mr_index)
		dev->min_mr_index = 1;
	if (!dev->num_comp_vectors)
		dev->num_comp_vectors = 1;
	if (dev->min_qpn < 2)
		return -EINVAL;
	err = check_device(dev);
	if (err)
		return err;
	err = ib_mr_table_init(dev);
	if (err)
		return err;
	err = ib_qp_table_init(dev);
	if (err) {
		ib_mr_table_free(dev);
		return err;
	}
	for (p = 1; p <= dev->phys_port_cnt; p++)
		ib_gid_refresh(dev, p);
	return 0;
}

int ib_register_device(struct ib_device *dev, const char *name)
{
	struct ib_client *client;
	int err;

	if (!dev || !name || dev->registered)
		return -EINVAL;
	mutex_lock(&ib_mutex);
	err = assign_name(dev, name);
	if (err)
		goto out_unlock;
	err = setup_tables(dev);
	if (err)
		goto out_unlock;
	dev->index = list_empty(&ib_devices) ? 0 :
		list_last_entry(&ib_devices, struct ib_device, list)->index + 1;
	list_add_tail(&dev->list, &ib_devices);
	dev->registered = true;
	pr_info("%s: registered, %u port(s), %d QPs, %d MRs\n", dev->name,
		dev->phys_port_cnt, dev->attrs.max_qp, dev->attrs.max_mr);
	list_for_each_entry(client, &ib_clients, list)
		client_add_one(client, dev);
out_unlock:
	mutex_unlock(&ib_mutex);
	if (err)
		pr_err("registering %s failed: %d\n", name, err);
	return err;
}

int ib_unregister_device(struct ib_device *dev)
{
	struct ib_client *client;
	struct ib_core *core;

	if (!dev || !dev->registered)
		return -EINVAL;
	core = dev->core;
	mutex_lock(&ib_mutex);
	list_for_each_entry(client, &ib_clients, list)
		client_remove_one(client, dev);
	list_del_init(&dev->list);
	dev->registered = false;
	mutex_unlock(&ib_mutex);
	if (device_busy(dev)) {
		pr_err("%s: unregistered with objects alive: %d PDs, %d MRs, %d CQs, %d QPs\n",
		       dev->name, atomic_read(&core->nr_pd),
		       atomic_read(&core->nr_mr), atomic_read(&core->nr_cq),
		       atomic_read(&core->nr_qp));
		return -EBUSY;	/* ib_dealloc_device() refuses it too */
	}
	ib_qp_table_free(dev);
	ib_mr_table_free(dev);
	pr_info("%s: unregistered\n", dev->name);
	return 0;
}

struct ib_device *ib_device_get_by_name(const char *name)
{
	struct ib_device *dev;

	if (!name)
		return NULL;
	mutex_lock(&ib_mutex);
	dev = find_device(name);
	mutex_unlock(&ib_mutex);
	return dev;
}

/* ---- clients ------------------------------------------------------------- */

int ib_register_client(struct ib_client *client)
{
	struct ib_device *dev;
	unsigned long id;

	if (!client || !client->name || (!client->add && !client->remove))
		return -EINVAL;
	mutex_lock(&ib_mutex);
	id = bitmap_find_next_zero_area(ib_client_ids, IB_MAX_CLIENTS, 0, 1, 0);
	if (id >= IB_MAX_CLIENTS) {
		mutex_unlock(&ib_mutex);
		return -ENOSPC;
	}
	bitmap_set(ib_client_ids, id, 1);
	client->client_id = id;
	list_add_tail(&client->list, &ib_clients);
	list_for_each_entry(dev, &ib_devices, list)
		client_add_one(client, dev);
	mutex_unlock(&ib_mutex);
	return 0;
}

void ib_unregister_client(struct ib_client *client)
{
	struct ib_device *dev;

	if (!client)
		return;
	mutex_lock(&ib_mutex);
	list_for_each_entry(dev, &ib_devices, list)
		client_remove_one(client, dev);
	list_del(&client->list);
	bitmap_clear(ib_client_ids, client->client_id, 1);
	mutex_unlock(&ib_mutex);
}

void ib_set_client_data(struct ib_device *dev, struct ib_client *client,
			void *data)
{
	if (dev && client && client->client_id < IB_MAX_CLIENTS)
		WRITE_ONCE(dev->core->client_data[client->client_id], data);
}

void *ib_get_client_data(struct ib_device *dev, struct ib_client *client)
{
	if (!dev || !client || client->client_id >= IB_MAX_CLIENTS)
		return NULL;
	return READ_ONCE(dev->core->client_data[client->client_id]);
}

/* ---- ports ---------------------------------------------------------------- */

enum ib_link_layer rdma_port_get_link_layer(struct ib_device *dev,
					    u32 port_num)
{
	if (!dev || !ib_port_valid(dev, port_num))
		return IB_LINK_LAYER_UNSPECIFIED;
	return ib_port(dev, port_num)->ndev ? IB_LINK_LAYER_ETHERNET :
					       IB_LINK_LAYER_INFINIBAND;
}

struct netdev *ib_device_get_netdev(struct ib_device *dev, u32 port_num)
{
	if (!dev || !ib_port_valid(dev, port_num))
		return NULL;
	return ib_port(dev, port_num)->ndev;
}

int ib_query_port(struct ib_device *dev, u32 port_num,
		  struct ib_port_attr *port_attr)
{
	int err;

	if (!dev || !port_attr || !dev->registered ||
	    !ib_port_valid(dev, port_num))
		return -EINVAL;
	memset(port_attr, 0, sizeof(*port_attr));
	err = dev->ops->query_port(dev, port_num, port_attr);
	if (err)
		return err;
	ib_gid_refresh(dev, port_num);
	port_attr->gid_tbl_len = IB_GID_TABLE_LEN;
	port_attr->pkey_tbl_len = IB_PKEY_TABLE_LEN;
	port_attr->link_layer = rdma_port_get_link_layer(dev, port_num);
	return 0;
}

int ib_query_pkey(struct ib_device *dev, u32 port_num, u16 index, u16 *pkey)
{
	if (!dev || !pkey || !ib_port_valid(dev, port_num) ||
	    index >= IB_PKEY_TABLE_LEN)
		return -EINVAL;
	*pkey = IB_DEFAULT_PKEY_FULL;
	return 0;
}
