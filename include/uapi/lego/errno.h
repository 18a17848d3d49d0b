/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Error numbers: the Linux x86-64 values, because LegoOS runs unmodified
 * Linux binaries and exchanges errors with Linux hosts over FIT.
 */
#ifndef _UAPI_LEGO_ERRNO_H
#define _UAPI_LEGO_ERRNO_H

#define EPERM		1
#define ENOENT		2
#define ESRCH		3
#define EINTR		4
#define EIO		5
#define ENXIO		6
#define E2BIG		7
#define ENOEXEC		8
#define EBADF		9
#define ECHILD		10
#define EAGAIN		11
#define ENOMEM		12
#define EACCES		13
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define ENOTDIR		20
#define EISDIR		21
#define EINVAL		22
#define ENFILE		23
#define EMFILE		24
#define ENOTTY		25
#define EFBIG		27
#define ENOSPC		28
#define ESPIPE		29
#define EROFS		30
#define EPIPE		32
#define EDOM		33
#define ERANGE		34
#define EDEADLK		35
#define ENAMETOOLONG	36
#define ENOSYS		38
#define ENOTEMPTY	39
#define ELOOP		40
#define ENODATA		61
#define ETIME		62
#define EPROTO		71
#define EBADMSG		74
#define EOVERFLOW	75
#define EMSGSIZE	90
#define EPROTONOSUPPORT	93
#define EOPNOTSUPP	95
#define EADDRINUSE	98
#define EADDRNOTAVAIL	99
#define ENETDOWN	100
#define ENETUNREACH	101
#define ECONNABORTED	103
#define ECONNRESET	104
#define ENOBUFS		105
#define ENOTCONN	107
#define ETIMEDOUT	110
#define ECONNREFUSED	111
#define EHOSTDOWN	112
#define EHOSTUNREACH	113
#define EALREADY	114
#define EINPROGRESS	115
#define ECANCELED	125

#define MAX_ERRNO	4095

#endif /* _UAPI_LEGO_ERRNO_H */
