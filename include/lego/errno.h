/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LEGO_ERRNO_H
#define _LEGO_ERRNO_H
#include <uapi/lego/errno.h>
#endif
