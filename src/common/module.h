/*
 * module.h - what an OWNER_MODULE row's OwningModuleInfo holds, shared by
 * the table builder and GetOwnerModuleFrom*Entry.
 *
 * OwningModuleInfo is opaque to callers (SPEC §5).  Windows keeps a service
 * tag in slot 0; tcptable leaves slot 0 at 0 (no service, so code testing
 * for one sees none) and keeps the owning process's identity key in slot 1:
 * the backend's key for that incarnation of the PID (Linux: its start time
 * + 1), 0 when unknown.  GetOwnerModuleFrom*Entry compares it with the
 * process now holding the PID to detect reuse.  No pointer is ever stored.
 */
#ifndef TT_MODULE_H
#define TT_MODULE_H

#define TT_MODULE_SERVICE_SLOT 0
#define TT_MODULE_KEY_SLOT 1

#endif /* TT_MODULE_H */
