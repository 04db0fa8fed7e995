/* Loads the shared library the way a PACS host loads a plugin, dlopen(RTLD_NOW), which fails
 * if any symbol (rust_eh_personality, for one) is left undefined, then calls through dlsym. */
#include <dlfcn.h>
#include <string.h>

#include "check.h"
#include "ecvkit.h"

typedef ecv_status (*ecv_ct_fn)(ecv_phase_values, ecv_phase_values, ecv_hematocrit,
                                const ecv_options *, ecv_result *);
typedef const char *(*ecv_version_fn)(void);

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "libecvkit.so";
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    ecv_ct_fn ct;
    ecv_version_fn version;
    ecv_phase_values tumor = {40.0, 116.96};
    ecv_phase_values aorta = {42.0, 162.0};
    ecv_hematocrit hct = {0.40, ECV_HEMATOCRIT_ORIGIN_MEASURED};
    ecv_result r;
    if (lib == NULL) {
        fprintf(stderr, "dlopen(%s, RTLD_NOW) failed: %s\n", path, dlerror());
        return 1;
    }
    /* POSIX sanctions this conversion of dlsym's result. */
    *(void **)(&ct) = dlsym(lib, "ecv_ct");
    *(void **)(&version) = dlsym(lib, "ecv_version");
    CHECK(ct != NULL && version != NULL);
    if (ct != NULL && version != NULL) {
        CHECK(ct(tumor, aorta, hct, NULL, &r) == ECV_OK);
        CHECK_NEAR(r.fraction, 0.3848, 1e-12);
        CHECK(strcmp(version(), ECVKIT_VERSION_STRING) == 0);
    }
    CHECK(dlclose(lib) == 0);
    return check_summary("test_dlopen");
}
