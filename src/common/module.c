/*
 * module.c - GetOwnerModuleFromTcpEntry, GetOwnerModuleFromTcp6Entry and
 * their UDP twins (SPEC §8, §10): the owning process's executable name and path as WCHAR
 * strings placed in the caller's buffer after a
 * TCPIP_OWNER_MODULE_BASIC_INFO.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iphlpapi.h"

#include "backend.h"
#include "compat.h"
#include "module.h"
#include "utf8.h"

/* What Windows reports for modules of the kernel itself. */
static const char kernel_name[] = "System";

static DWORD image_error(int err)
{
	switch (err) {
	case -ESRCH:
		return ERROR_NOT_FOUND;
	case -EACCES:
	case -EPERM:
		return ERROR_ACCESS_DENIED;
	case -ENOMEM:
		return ERROR_NOT_ENOUGH_MEMORY;
	case -EOPNOTSUPP:
		return ERROR_NOT_SUPPORTED;
	default:
		return ERROR_PARTIAL_COPY; /* the process exists; its module could not be read */
	}
}

/* Every access to the caller's memory (the row read, the buffer written)
 * goes through memcpy: rows and buffers may sit at any offset of a byte
 * buffer, and an access through a misaligned typed pointer is undefined
 * (and traps on strict-alignment targets). */
static DWORD owner_module(const void *entry, size_t pid_at, size_t info_at,
			  TCPIP_OWNER_MODULE_INFO_CLASS cls, PVOID buffer, PDWORD size)
{
	if (!size || cls != TCPIP_OWNER_MODULE_INFO_BASIC)
		return ERROR_INVALID_PARAMETER;
	const unsigned char *row = entry;
	DWORD pid;
	memcpy(&pid, row + pid_at, sizeof(pid));
	if (pid == 0)
		return ERROR_NOT_FOUND;

	struct tt_image img;
	int err = tt_backend_image(pid, &img);
	if (err)
		return image_error(err);
	/* The row remembers which process held the PID: another one now means
	 * the owner exited and the PID was reused. */
	uint64_t then;
	memcpy(&then, row + info_at + TT_MODULE_KEY_SLOT * sizeof(ULONGLONG), sizeof(then));
	if (then && img.key && then != img.key) {
		free(img.path);
		return ERROR_NOT_FOUND;
	}

	const char *path = img.kernel ? kernel_name : img.path;
	size_t plen = img.kernel ? sizeof(kernel_name) - 1 : img.len;
	const char *name = path;
	for (size_t i = 0; i < plen; i++)
		if (path[i] == '/')
			name = path + i + 1;
	size_t nlen = plen - (size_t)(name - path);

	size_t name_w = tt_utf8_to_wide(name, nlen, NULL) + 1;
	size_t path_w = tt_utf8_to_wide(path, plen, NULL) + 1;
	uint64_t need = sizeof(TCPIP_OWNER_MODULE_BASIC_INFO) +
			(uint64_t)(name_w + path_w) * sizeof(WCHAR);
	DWORD ret = NO_ERROR;
	if (need > UINT32_MAX) {
		ret = ERROR_NOT_ENOUGH_MEMORY;
	} else if (!buffer || *size < need) {
		*size = (DWORD)need;
		ret = ERROR_INSUFFICIENT_BUFFER;
	} else {
		/* Windows' layout: the structure, then the name, then the path. */
		unsigned char *base = buffer;
		unsigned char *wname = base + sizeof(TCPIP_OWNER_MODULE_BASIC_INFO);
		unsigned char *wpath = wname + name_w * sizeof(WCHAR);
		static const WCHAR nul = L'\0';
		tt_utf8_to_wide(name, nlen, wname);
		memcpy(wpath - sizeof(WCHAR), &nul, sizeof(nul));
		tt_utf8_to_wide(path, plen, wpath);
		memcpy(base + need - sizeof(WCHAR), &nul, sizeof(nul));
		/* The pointers are the caller's to use; where they point is the
		 * caller's buffer, as on Windows. */
		TCPIP_OWNER_MODULE_BASIC_INFO bi = { (PWCHAR)(void *)wname, (PWCHAR)(void *)wpath };
		memcpy(base, &bi, sizeof(bi));
		*size = (DWORD)need;
	}
	free(img.path);
	return ret;
}

TT_API DWORD WINAPI GetOwnerModuleFromTcpEntry(PMIB_TCPROW_OWNER_MODULE pTcpEntry,
					       TCPIP_OWNER_MODULE_INFO_CLASS Class, PVOID pBuffer,
					       PDWORD pdwSize)
{
	if (!pTcpEntry)
		return ERROR_INVALID_PARAMETER;
	return owner_module(pTcpEntry, offsetof(MIB_TCPROW_OWNER_MODULE, dwOwningPid),
			    offsetof(MIB_TCPROW_OWNER_MODULE, OwningModuleInfo), Class, pBuffer,
			    pdwSize);
}

TT_API DWORD WINAPI GetOwnerModuleFromTcp6Entry(PMIB_TCP6ROW_OWNER_MODULE pTcpEntry,
						TCPIP_OWNER_MODULE_INFO_CLASS Class, PVOID pBuffer,
						PDWORD pdwSize)
{
	if (!pTcpEntry)
		return ERROR_INVALID_PARAMETER;
	return owner_module(pTcpEntry, offsetof(MIB_TCP6ROW_OWNER_MODULE, dwOwningPid),
			    offsetof(MIB_TCP6ROW_OWNER_MODULE, OwningModuleInfo), Class, pBuffer,
			    pdwSize);
}

TT_API DWORD WINAPI GetOwnerModuleFromUdpEntry(PMIB_UDPROW_OWNER_MODULE pUdpEntry,
					       TCPIP_OWNER_MODULE_INFO_CLASS Class, PVOID pBuffer,
					       PDWORD pdwSize)
{
	if (!pUdpEntry)
		return ERROR_INVALID_PARAMETER;
	return owner_module(pUdpEntry, offsetof(MIB_UDPROW_OWNER_MODULE, dwOwningPid),
			    offsetof(MIB_UDPROW_OWNER_MODULE, OwningModuleInfo), Class, pBuffer,
			    pdwSize);
}

TT_API DWORD WINAPI GetOwnerModuleFromUdp6Entry(PMIB_UDP6ROW_OWNER_MODULE pUdpEntry,
						TCPIP_OWNER_MODULE_INFO_CLASS Class, PVOID pBuffer,
						PDWORD pdwSize)
{
	if (!pUdpEntry)
		return ERROR_INVALID_PARAMETER;
	return owner_module(pUdpEntry, offsetof(MIB_UDP6ROW_OWNER_MODULE, dwOwningPid),
			    offsetof(MIB_UDP6ROW_OWNER_MODULE, OwningModuleInfo), Class, pBuffer,
			    pdwSize);
}
