/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "err.h"

/* After a failed unshare of MASK: a hint with the reason and the fix, when
 * the machine's settings tell it (user namespaces disabled by sysctl or
 * AppArmor, a namespace limit reached). Leaves an existing hint alone. */
void diagnose_unshare(unsigned mask, struct nserr *e);
