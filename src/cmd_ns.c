/* SPDX-License-Identifier: GPL-3.0-or-later */
/* unshare, share, reset, status: the lab's namespaces themselves. */
#include "config.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "cgroup.h"
#include "asciicast.h"
#include "commands.h"
#include "diagnose.h"
#include "labfs.h"
#include "nsinfo.h"
#include "userns.h"

static const char *const ns_words[] = {"uts", "ipc", "pid", "mnt", "net", "user", "cgroup", "time", "all", NULL};

static void print_isolated(const struct lab *lab, unsigned mask)
{
	for (int i = 0; i < NS_COUNT; i++) {
		enum ns_type t = ns_show_order[i];
		if (!(mask & NS_BIT(t)))
			continue;
		printf(_("%-6s isolated: namespace %lu (host %lu)"), ns_table[t].name,
		       (unsigned long)lab->ino[t], (unsigned long)host.ino[t]);
		if (t == NS_PID)
			printf(_("; its PID 1 is host PID %d"), (int)lab->init);
		if (t == NS_MNT)
			printf(_("; mounts made here stay here"));
		putchar('\n');
	}
}

static int unshare_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	unsigned mask, have = lab_isolated(app->lab);
	char names[64];

	if (ns_parse_list(argc - 1, argv + 1, &mask, e) < 0)
		return -1;
	if (have & mask) {
		ns_mask_str(have & mask, names, sizeof(names));
		/* A fresh namespace of a kind the lab already has would need
		 * nesting (PID, user) or throw away what the learner made. */
		app_note(app, _("%s: already isolated; `share %s` first for a new one"), names, names);
		mask &= ~have;
	}
	if (!mask)
		return 0;
	if (userns_rootless_first(app, &mask, e) < 0)
		return -1;
	if (lab_unshare(app->lab, mask, e) < 0) {
		ns_mask_str(mask, names, sizeof(names));
		diagnose_unshare(mask, e);
		_cleanup_free_ char *what = xasprintf("unshare %s", names);
		return nserr_prefix(e, what);
	}
	print_isolated(app->lab, mask);
	return 0;
}

const struct command cmd_unshare = {
	.name = "unshare", .usage = "NS... | all",
	.help = N_("give the lab its own namespaces of these types"),
	.min_args = 1, .max_args = -1, .run = unshare_run,
	.complete = COMPLETE_NS, .words = ns_words,
};

static int share_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	unsigned mask, have = lab_isolated(app->lab);
	int ended;

	if (ns_parse_list(argc - 1, argv + 1, &mask, e) < 0)
		return -1;
	if (lab_share(app->lab, mask & have, &ended, e) < 0)
		return -1;
	for (int i = 0; i < NS_COUNT; i++) {
		enum ns_type t = ns_show_order[i];
		if (!(mask & NS_BIT(t)))
			continue;
		if (!(have & NS_BIT(t)))
			printf(_("%-6s already the host's\n"), ns_table[t].name);
		else if (t == NS_PID) {
			printf(_("%-6s back to the host's; the lab's PID 1 ended, and with it %d process(es)\n"),
			       ns_table[t].name, ended);
			struct ns_facts f;
			struct nserr fe;
			if ((lab_isolated(app->lab) & NS_BIT(NS_MNT)) && facts_lab(app->lab, &f, &fe) == 0 &&
			    f.proc == PROC_LAB)
				app_note(app, _("a /proc mounted for that PID namespace now shows nothing: "
						"`umount /proc`, or `unshare pid` and `mount proc` again"));
		}
		else
			printf(_("%-6s back to the host's\n"), ns_table[t].name);
	}
	return 0;
}

const struct command cmd_share = {
	.name = "share", .usage = "NS... | all",
	.help = N_("give the lab the host's namespaces of these types again"),
	.min_args = 1, .max_args = -1, .run = share_run,
	.complete = COMPLETE_NS, .words = ns_words,
};

static int reset_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	int ended;

	if (lab_share(app->lab, NS_ALL, &ended, e) < 0) {
		/* Rootless: the user namespace must go after what it owns. */
		if (lab_share(app->lab, NS_ALL & ~NS_BIT(NS_USER), &ended, e) < 0 ||
		    lab_share(app->lab, NS_BIT(NS_USER), &ended, e) < 0)
			return -1;
	}
	printf(_("every namespace is the host's again\n"));
	if (cgroup_lab_remove(app->lab))
		printf(_("the lab's cgroup and its limits are gone, with every process that was in it\n"));
	/* A fresh start: maps and clock offsets set for the next user or
	 * time namespace go too. */
	userns_forget(app->lab);
	if (app->lab->fs)
		for (int c = 0; c < LAB_CLOCKS; c++)
			app->lab->fs->clock_set[c] = false;
	return 0;
}

const struct command cmd_reset = {
	.name = "reset", .usage = "",
	.help = N_("put every namespace back to the host's"),
	.min_args = 0, .max_args = 0, .run = reset_run,
};

/* ---- status --------------------------------------------------------------- */

static int status_text(struct nslab *app, const struct ns_facts *l, const struct ns_facts *h)
{
	struct lab *lab = app->lab;
	unsigned iso = lab_isolated(lab);

	printf(_("%s: %d of 8 namespace types isolated"), lab->name, ns_count(iso));
	if (lab->init > 0 && !lab->init_gone)
		printf(_(", PID 1 is host PID %d"), (int)lab->init);
	printf("\n%-7s %-5s %-11s %-11s %-11s %s\n", _("NS"), _("STATE"), _("LAB"), _("HOST"), _("OWNER"), _("DETAIL"));
	for (int i = 0; i < NS_COUNT; i++) {
		enum ns_type t = ns_show_order[i];
		struct buf b = {0};
		/* OWNER: the user namespace that owns it (a user one's parent). */
		ino_t owner = userns_owner(lab, t);
		char own[24] = "-";
		if (owner)
			snprintf(own, sizeof(own), "%lu", (unsigned long)owner);
		ns_detail(t, lab, l, h, &b);
		printf("%-7s %-5s %-11lu %-11lu %-11s %s\n", ns_table[t].name,
		       (iso & NS_BIT(t)) ? _("lab") : _("host"), (unsigned long)lab_ino(lab, t),
		       (unsigned long)host.ino[t], own, b.s ? b.s : "");
		buf_free(&b);
	}
	return 0;
}

/* [{"name": "lo", "state": "down", "ipv4": ["127.0.0.1/8"]}, ...] */
static json_object *json_links(const struct ns_facts *l)
{
	json_object *a = json_object_new_array();

	for (int i = 0; i < l->ifaces && i < (int)ARRAY_SIZE(l->iface); i++) {
		const struct iface_fact *f = &l->iface[i];
		json_object *o = json_object_new_object(), *v4 = json_object_new_array();
		char addrs[sizeof(f->ipv4)], *save = NULL;
		snprintf(addrs, sizeof(addrs), "%s", f->ipv4);
		for (char *w = strtok_r(addrs, " ", &save); w; w = strtok_r(NULL, " ", &save))
			json_object_array_add(v4, json_object_new_string(w));
		json_object_object_add(o, "name", json_object_new_string(f->name));
		json_object_object_add(o, "state", json_object_new_string(f->up ? "up" : "down"));
		json_object_object_add(o, "ipv4", v4);
		json_object_array_add(a, o);
	}
	return a;
}

static void json_add_facts(json_object *o, enum ns_type t, const struct lab *lab, const struct ns_facts *l,
			   const struct ns_facts *h)
{
#define ADD(k, v) json_object_object_add(o, k, v)
	switch (t) {
	case NS_UTS:
		ADD("hostname", json_text(l->hostname));
		ADD("host_hostname", json_text(h->hostname));
		ADD("domainname", json_text(l->domainname));
		ADD("host_domainname", json_text(h->domainname));
		break;
	case NS_IPC:
		ADD("queues", json_object_new_int(l->msg));
		ADD("shm", json_object_new_int(l->shm));
		ADD("sem", json_object_new_int(l->sem));
		break;
	case NS_PID:
		ADD("init_pid", json_object_new_int(lab->init > 0 && !lab->init_gone ? lab->init : 0));
		ADD("processes", json_object_new_int(l->processes));
		ADD("init_gone", json_object_new_boolean(lab->init_gone));
		break;
	case NS_MNT:
		ADD("mounts", json_object_new_int(l->mounts));
		ADD("host_mounts", json_object_new_int(h->mounts));
		ADD("proc", json_object_new_string(proc_kind_name(l->proc)));
		break;
	case NS_NET:
		ADD("interfaces", json_text(l->ifnames));
		ADD("interfaces_up", json_object_new_int(l->ifaces_up));
		ADD("links", json_links(l));
		ADD("host_links", json_object_new_int(h->ifaces));
		break;
	case NS_USER:
		ADD("uid_map", json_object_new_string(l->uid_map));
		ADD("gid_map", json_object_new_string(l->gid_map));
		break;
	case NS_CGROUP:
		ADD("cgroup", json_text(l->cgroup));
		cgroup_json(lab, o);
		break;
	default:
		break;
	}
#undef ADD
}

static int status_json(struct nslab *app, const struct ns_facts *l, const struct ns_facts *h)
{
	struct lab *lab = app->lab;
	unsigned iso = lab_isolated(lab);
	json_object *root = json_object_new_object(), *nss = json_object_new_object();

	json_object_object_add(root, "lab", json_text(lab->name));
	json_object_object_add(root, "init_pid", json_object_new_int(lab->init > 0 && !lab->init_gone ? lab->init : 0));
	for (int i = 0; i < NS_COUNT; i++) {
		enum ns_type t = ns_show_order[i];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "isolated", json_object_new_boolean(iso & NS_BIT(t)));
		json_object_object_add(o, "inode", json_object_new_int64((int64_t)lab_ino(lab, t)));
		json_object_object_add(o, "host_inode", json_object_new_int64((int64_t)host.ino[t]));
		json_add_facts(o, t, lab, l, h);
		userns_json(o, lab, t);
		json_object_object_add(nss, ns_table[t].name, o);
	}
	json_object_object_add(root, "namespaces", nss);
	puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return 0;
}

static int status_run(struct nslab *app, int argc, char **argv, struct nserr *e)
{
	struct ns_facts l, h;
	bool json = argc == 2;

	if (json && strcmp(argv[1], "--json") != 0)
		return command_usage_error(&cmd_status, e, _("unknown option"));
	facts_host(&h);
	if (facts_lab(app->lab, &l, e) < 0)
		return -1;
	return json ? status_json(app, &l, &h) : status_text(app, &l, &h);
}

static const char *const status_words[] = {"--json", NULL};

const struct command cmd_status = {
	.name = "status", .usage = "[--json]",
	.help = N_("show what is isolated and how the lab differs from the host"),
	.min_args = 0, .max_args = 1, .run = status_run,
	.complete = COMPLETE_WORDS, .words = status_words,
};
