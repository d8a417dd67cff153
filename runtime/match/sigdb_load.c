/*
 * Loads a compiled set from a shared object (sigdb_load.h).  The ABI
 * number is read before anything else of the module: a module of another
 * ABI may have another layout after it.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "sigdb_load.h"

static const char *const size_names[] = {
	"svd_sigdb", "svd_probe", "svd_match", "svd_gate", "svd_literal", "svd_tree_node",
};

const struct svd_sigdb *svd_sigdb_load(const char *path, char *err, size_t errlen)
{
	static const uint32_t sizes[] = SVD_SIGDB_SIZES;
	const struct svd_sigdb_module *m;
	void *h;
	size_t i;

	_Static_assert(sizeof sizes / sizeof *sizes == sizeof m->sizes / sizeof *m->sizes,
		       "SVD_SIGDB_SIZES lists every size of the module");
	_Static_assert(sizeof size_names / sizeof *size_names == sizeof sizes / sizeof *sizes,
		       "a name for each size");
	/* RTLD_NOW: a confirm function that the program cannot link shows
	 * here, not in the middle of a scan. */
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(err, errlen, "cannot load the set: %s", dlerror());
		return NULL;
	}
	m = dlsym(h, "svd_sigdb_module");
	if (!m) {
		snprintf(err, errlen, "%s is not a signature set of svdc --shared "
			 "(no svd_sigdb_module)", path);
		dlclose(h);
		return NULL;
	}
	if (m->abi != SVD_SIGDB_ABI) {
		snprintf(err, errlen, "%s was built for runtime ABI %u, this runtime has ABI %u: "
			 "compile it again with the svdc of this runtime", path, (unsigned)m->abi,
			 (unsigned)SVD_SIGDB_ABI);
		dlclose(h);
		return NULL;
	}
	for (i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		if (m->sizes[i] != sizes[i]) {
			snprintf(err, errlen, "%s was built for runtime ABI %u, as this runtime, "
				 "but its struct %s has %u bytes, this runtime's %u: svdc and the "
				 "runtime come from different sources; compile it again with the "
				 "svdc of this runtime", path, (unsigned)m->abi, size_names[i],
				 (unsigned)m->sizes[i], (unsigned)sizes[i]);
			dlclose(h);
			return NULL;
		}
	}
	if (!m->set) {
		snprintf(err, errlen, "%s names no set", path);
		dlclose(h);
		return NULL;
	}
	return m->set;
}
