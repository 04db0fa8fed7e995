/* A C consumer of an installed ecvkit (make -C ffi-tests consumers): built with pkg-config
 * (shared and --static) and with CMake (ecvkit::ecvkit, ecvkit::ecvkit_static). It checks at run
 * time that the library it loaded speaks the ABI of the header it was compiled with, then
 * computes the paper's Fig. 1 tumor ECV. Exit status 0 only if both hold. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <ecvkit.h>

/* The run-time ABI check the README recommends: same major version (one major = one ABI), and a
 * library at least as new as the header (a newer minor only adds functions). */
static int ecvkit_abi_matches(void) {
    const char *loaded = ecv_version();
    char *end = NULL;
    long major = strtol(loaded, &end, 10);
    long minor = (end != NULL && *end == '.') ? strtol(end + 1, NULL, 10) : -1;
    return major == ECVKIT_VERSION_MAJOR && minor >= ECVKIT_VERSION_MINOR;
}

int main(void) {
    ecv_phase_values tumor = {40.0, 116.96}, aorta = {42.0, 162.0};
    ecv_hematocrit hct = {0.40, ECV_HEMATOCRIT_ORIGIN_MEASURED};
    ecv_result r;
    ecv_status s;

    if (!ecvkit_abi_matches()) {
        fprintf(stderr, "libecvkit %s does not match the header of %s\n", ecv_version(),
                ECVKIT_VERSION_STRING);
        return 1;
    }
    s = ecv_ct(tumor, aorta, hct, NULL, &r);
    if (s != ECV_OK) {
        fprintf(stderr, "ECV: %s\n", ecv_status_str(s));
        return 1;
    }
    printf("ecvkit %s (header %s): tumor ECV %.2f %%\n", ecv_version(), ECVKIT_VERSION_STRING,
           100.0 * r.fraction);
    return fabs(r.fraction - 0.3848) < 1e-12 ? 0 : 1;
}
