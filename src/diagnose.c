/* SPDX-License-Identifier: GPL-3.0-or-later */
/* When making namespaces fails for a reason a machine's settings explain:
 * name the setting and the way out, not just the errno. */
#include "config.h"
#include "diagnose.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "ns.h"

static bool sysctl_is(const char *path, const char *value)
{
	char v[32];

	return read_small_file(AT_FDCWD, path, v, sizeof(v)) >= 0 && strcmp(v, value) == 0;
}

static bool user_namespaces_blocked(struct nserr *e)
{
	if (sysctl_is("/proc/sys/kernel/unprivileged_userns_clone", "0"))
		return nserr_hint(e, _("unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone = 0): "
				       "`sysctl kernel.unprivileged_userns_clone=1` as root, or run nslab as root")) < 0;
	if (sysctl_is("/proc/sys/user/max_user_namespaces", "0"))
		return nserr_hint(e, _("user namespaces are switched off (user.max_user_namespaces = 0): "
				       "`sysctl user.max_user_namespaces=15000` as root")) < 0;
	if (sysctl_is("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1"))
		return nserr_hint(e, _("AppArmor restricts unprivileged user namespaces "
				       "(kernel.apparmor_restrict_unprivileged_userns = 1, as on Ubuntu): an AppArmor "
				       "profile that allows userns for nslab, or run it as root")) < 0;
	return false;
}

void diagnose_unshare(unsigned mask, struct nserr *e)
{
	if (e->hint[0])
		return;
	if (e->err == ENOSPC) {
		if (!((mask & NS_BIT(NS_USER)) && user_namespaces_blocked(e)))
			nserr_hint(e, _("a limit on namespaces was reached (see /proc/sys/user/max_*_namespaces)"));
		return;
	}
	if (e->err != EPERM && e->err != EACCES)
		return;
	if (geteuid() != 0 && user_namespaces_blocked(e))
		return;
	if (geteuid() != 0)
		nserr_hint(e, _("creating namespaces needs CAP_SYS_ADMIN: run nslab as root, or check that "
				"unprivileged user namespaces are enabled"));
	else
		nserr_hint(e, _("even root may not here: nslab may be running in a container or under a "
				"security module that forbids new namespaces"));
}
