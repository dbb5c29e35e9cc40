/*
 * module.c - GetOwnerModuleFromTcpEntry and GetOwnerModuleFromTcp6Entry
 * (SPEC §8): the owning process's executable name and path as WCHAR
 * strings placed in the caller's buffer after a
 * TCPIP_OWNER_MODULE_BASIC_INFO.
 */
#include <errno.h>
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

static DWORD owner_module(DWORD pid, const ULONGLONG *info, TCPIP_OWNER_MODULE_INFO_CLASS cls,
			  PVOID buffer, PDWORD size)
{
	if (!size || cls != TCPIP_OWNER_MODULE_INFO_BASIC)
		return ERROR_INVALID_PARAMETER;
	if (pid == 0)
		return ERROR_NOT_FOUND;

	struct tt_image img;
	int err = tt_backend_image(pid, &img);
	if (err)
		return image_error(err);
	/* The row remembers which process held the PID: another one now means
	 * the owner exited and the PID was reused. */
	uint64_t then = info[TT_MODULE_KEY_SLOT];
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
		TCPIP_OWNER_MODULE_BASIC_INFO *bi = buffer;
		WCHAR *wname = (WCHAR *)(void *)(bi + 1);
		WCHAR *wpath = wname + name_w;
		tt_utf8_to_wide(name, nlen, wname);
		wname[name_w - 1] = L'\0';
		tt_utf8_to_wide(path, plen, wpath);
		wpath[path_w - 1] = L'\0';
		bi->pModuleName = wname;
		bi->pModulePath = wpath;
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
	return owner_module(pTcpEntry->dwOwningPid, pTcpEntry->OwningModuleInfo, Class, pBuffer,
			    pdwSize);
}

TT_API DWORD WINAPI GetOwnerModuleFromTcp6Entry(PMIB_TCP6ROW_OWNER_MODULE pTcpEntry,
						TCPIP_OWNER_MODULE_INFO_CLASS Class, PVOID pBuffer,
						PDWORD pdwSize)
{
	if (!pTcpEntry)
		return ERROR_INVALID_PARAMETER;
	return owner_module(pTcpEntry->dwOwningPid, pTcpEntry->OwningModuleInfo, Class, pBuffer,
			    pdwSize);
}
