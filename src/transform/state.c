/* What the stage keeps beside its runs (run.h): the calling thread's run, and the security
 * preferences set once for the process.  Alone in a file so that the others, which all
 * read them, call no file in a circle. */
#include "transform/run.h"

_Thread_local run *tr_current;
xsltSecurityPrefsPtr tr_run_prefs;
