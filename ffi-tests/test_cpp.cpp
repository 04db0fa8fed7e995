// The header from C++11: the status is a typed enum there, and the library links and runs.
#include <cmath>
#include <cstdio>
#include <cstring>

#include "ecvkit.h"

int main() {
    int failed = 0;
    ecv_phase_values tumor = {40.0, 116.96};
    ecv_phase_values aorta = {42.0, 162.0};
    ecv_hematocrit hct = {0.40, ECV_HEMATOCRIT_ORIGIN_MEASURED};
    ecv_result r;
    ecv_status s = ecv_ct(tumor, aorta, hct, nullptr, &r);
    if (s != ECV_OK || std::fabs(r.fraction - 0.3848) > 1e-12) failed++;
    hct.fraction = 42.0;
    if (ecv_ct(tumor, aorta, hct, nullptr, &r) != ECV_HEMATOCRIT_PERCENT) failed++;
    if (std::strcmp(ecv_status_str(ECV_NOT_FINITE), "an input number was NaN or infinite") != 0)
        failed++;
    std::printf("test_cpp: %d passed, %d failed\n", 3 - failed, failed);
    return failed == 0 ? 0 : 1;
}
