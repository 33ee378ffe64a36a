/* `workbook batch --shard auto` in a Slurm job array, on a real one-node Slurm cluster that
 * the test starts on localhost: its own munged (own key and socket), slurmctld and slurmd
 * with a slurm.conf of its own (SlurmUser=root, proctrack/linuxproc, task/none,
 * select/cons_tres, ports and spool folders of its own under a temporary folder).  The
 * catalogue of tests/data/batch is submitted as an array of 4 tasks; every edition must be
 * built by exactly one task, and the bytes must be those of a local batch.
 *
 * Skipped, with a note, when Debian's slurm-wlm and munge are not installed
 * (tools/deps.sh --check-test installs them); the daemons are stopped at the end. */
#include <check.h>
#include <fcntl.h>
#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit/support.h"

static const char *const programs[] = {"/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd",
                                       "/usr/bin/sbatch", "/usr/bin/sinfo"};

static char *tmp;
static pid_t daemons[3];

/* Starts a daemon in the foreground of a child of ours, its output to a log file. */
static pid_t start(const char *log, char *const argv[])
{
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

static void stop_daemons(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(daemons); i++) {
        if (daemons[i] <= 0)
            continue;
        kill(daemons[i], SIGTERM);
        int status;
        for (int t = 0; t < 100 && waitpid(daemons[i], &status, WNOHANG) == 0; t++)
            g_usleep(50000);
        if (waitpid(daemons[i], &status, WNOHANG) == 0) {
            kill(daemons[i], SIGKILL);
            waitpid(daemons[i], &status, 0);
        }
        daemons[i] = 0;
    }
}

static char *at(const char *rel) { return g_build_filename(tmp, rel, NULL); }

static int sh(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int sh(char **out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    char *full = g_strdup_printf("export SLURM_CONF='%s/slurm.conf'; %s", tmp, cmd);
    int rc = wb_test_run(full, out, true);
    g_free(full);
    g_free(cmd);
    return rc;
}

static void write_conf(const char *host, int port)
{
    char *conf = g_strdup_printf(
        "ClusterName=wbtest\nSlurmctldHost=%s(127.0.0.1)\nSlurmUser=root\nSlurmdUser=root\n"
        "SlurmctldPort=%d\nSlurmdPort=%d\nAuthType=auth/munge\nAuthInfo=socket=%s/munge/munge.sock\n"
        "CredType=cred/munge\nStateSaveLocation=%s/state\nSlurmdSpoolDir=%s/spool\n"
        "SlurmctldPidFile=%s/slurmctld.pid\nSlurmdPidFile=%s/slurmd.pid\n"
        "SlurmctldLogFile=%s/slurmctld.log\nSlurmdLogFile=%s/slurmd.log\nPlugStackConfig=%s/plugstack.conf\n"
        "ProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\nSelectType=select/cons_tres\n"
        "SelectTypeParameters=CR_Core\nJobAcctGatherType=jobacct_gather/none\n"
        "AccountingStorageType=accounting_storage/none\nJobCompType=jobcomp/none\nMpiDefault=none\n"
        "ReturnToService=2\nSlurmctldTimeout=30\nSlurmdTimeout=30\n"
        "NodeName=wbnode NodeAddr=127.0.0.1 NodeHostname=%s CPUs=2 RealMemory=1000 State=UNKNOWN\n"
        "PartitionName=wbtest Nodes=wbnode Default=YES MaxTime=INFINITE State=UP\n",
        host, port, port + 1, tmp, tmp, tmp, tmp, tmp, tmp, tmp, tmp, host);
    char *path = at("slurm.conf");
    ck_assert(g_file_set_contents(path, conf, -1, NULL));
    char *plug = at("plugstack.conf");
    ck_assert(g_file_set_contents(plug, "", 0, NULL));
    g_free(plug);
    g_free(path);
    g_free(conf);
}

/* munged, slurmctld and slurmd, up until the node is idle. */
static void start_cluster(void)
{
    char host[256] = "localhost";
    gethostname(host, sizeof host - 1);
    char *dot = strchr(host, '.');
    if (dot)
        *dot = 0;
    int port = 20000 + (int)(getpid() % 20000);
    ck_assert_int_eq(sh(NULL, "mkdir -p '%s/munge' '%s/state' '%s/spool' && chmod 700 '%s/munge' && "
                              "head -c 1024 /dev/urandom > '%s/munge/munge.key' && chmod 600 '%s/munge/munge.key'",
                        tmp, tmp, tmp, tmp, tmp, tmp),
                     0);
    write_conf(host, port);
    char *sock = g_strdup_printf("--socket=%s/munge/munge.sock", tmp), *key = g_strdup_printf("--key-file=%s/munge/munge.key", tmp);
    char *mlog = g_strdup_printf("--log-file=%s/munge/munged.log", tmp), *pid = g_strdup_printf("--pid-file=%s/munge/munged.pid", tmp);
    char *seed = g_strdup_printf("--seed-file=%s/munge/munged.seed", tmp), *conf = at("slurm.conf");
    char *munged[] = {"/usr/sbin/munged", "-F", "-f", sock, key, mlog, pid, seed, NULL};
    char *log = at("munged.out");
    daemons[0] = start(log, munged);
    g_free(log);
    g_usleep(500000);
    char *ctld[] = {"/usr/sbin/slurmctld", "-D", "-c", "-f", conf, NULL};
    char *slurmd[] = {"/usr/sbin/slurmd", "-D", "-N", "wbnode", "-f", conf, NULL};
    log = at("slurmctld.out");
    daemons[1] = start(log, ctld);
    g_free(log);
    log = at("slurmd.out");
    daemons[2] = start(log, slurmd);
    g_free(log);
    char *state = NULL;
    for (int i = 0; i < 60; i++) {
        free(state);
        state = NULL;
        if (sh(&state, "sinfo -h -o %%T") == 0 && strstr(state, "idle"))
            break;
        g_usleep(500000);
    }
    ck_assert_msg(state && strstr(state, "idle"), "the Slurm node did not come up: %s (logs in %s)", state, tmp);
    free(state);
    g_free(sock), g_free(key), g_free(mlog), g_free(pid), g_free(seed), g_free(conf);
}

/* The outputs a shard's JSON report says it built, each followed by a newline. */
static void add_built(GString *all, const char *json)
{
    char *text = wb_test_read(json, NULL);
    ck_assert_msg(text != NULL, "no report %s", json);
    gchar **lines = g_strsplit(text, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        const char *o = strstr(lines[i], "{\"output\": \"");
        if (!o || !strstr(lines[i], "\"status\": \"built\""))
            continue;
        o += strlen("{\"output\": \"");
        g_string_append_len(all, o, strchr(o, '"') - o);
        g_string_append_c(all, '\n');
    }
    g_strfreev(lines);
    free(text);
}

START_TEST(job_array)
{
    for (size_t i = 0; i < G_N_ELEMENTS(programs); i++)
        if (access(programs[i], X_OK) != 0) {
            fprintf(stderr, "slurm: skipped: %s is not installed (Debian's slurm-wlm and munge; "
                            "tools/deps.sh --check-test installs them)\n", programs[i]);
            return;
        }
    tmp = wb_test_tmpdir();
    ck_assert_int_eq(sh(NULL, "cp -r '%s' '%s/data'", wb_test_path("tests/data/batch"), tmp), 0);
    start_cluster();
    char *script = g_strdup_printf("#!/bin/sh\nexec '%s' batch catalogue.xml --shard auto -j 1 --out '%s/slurm' "
                                   "--styles-dir '%s' --json \"%s/shard-$SLURM_ARRAY_TASK_ID.json\"\n",
                                   wb_test_bin(), tmp, wb_test_path("styles"), tmp);
    char *job = at("job.sh");
    ck_assert(g_file_set_contents(job, script, -1, NULL));
    char *out = NULL;
    int rc = sh(&out, "chmod +x '%s' && timeout 240 sbatch --wait --array=0-3 --chdir='%s/data' -o '%s/task-%%a.out' '%s'",
                job, tmp, tmp, job);
    char *logs = NULL;
    sh(&logs, "cat '%s'/task-*.out", tmp);
    ck_assert_msg(rc == 0, "sbatch: exit %d: %s\ntasks:\n%s", rc, out, logs);
    GString *built = g_string_new(NULL);
    for (int t = 0; t < 4; t++) {
        char *json = g_strdup_printf("%s/shard-%d.json", tmp, t);
        add_built(built, json);
        g_free(json);
    }
    /* a local batch of the same catalogue: the same editions, the same bytes */
    ck_assert_int_eq(sh(NULL, "cd '%s/data' && '%s' batch catalogue.xml -q -j 2 --out '%s/local' --styles-dir '%s'", tmp,
                        wb_test_bin(), tmp, wb_test_path("styles")),
                     0);
    char *listing = NULL;
    ck_assert_int_eq(sh(&listing, "cd '%s/local' && find . -name '*.pdf' | sed 's|^\\./||' | LC_ALL=C sort", tmp), 0);
    char *sorted = NULL;
    char *file = at("built.txt");
    ck_assert(g_file_set_contents(file, built->str, -1, NULL));
    ck_assert_int_eq(sh(&sorted, "sed 's|^%s/slurm/||' '%s' | LC_ALL=C sort", tmp, file), 0);
    ck_assert_msg(!strcmp(sorted, listing), "the job array built:\n%s\nthe local batch:\n%s\ntasks:\n%s", sorted,
                  listing, logs);
    ck_assert_int_eq(sh(NULL, "cd '%s/local' && for f in $(find . -name '*.pdf'); do cmp \"$f\" '%s/slurm/'\"$f\" || "
                              "exit 1; done", tmp, tmp),
                     0);
    stop_daemons();
    ck_assert_int_eq(sh(NULL, "rm -rf '%s'", tmp), 0);
    g_free(file), free(sorted), free(listing), g_string_free(built, TRUE), free(logs), free(out);
    g_free(job), g_free(script), free(tmp);
}
END_TEST

static void teardown(void) { stop_daemons(); }

static Suite *suite(void)
{
    Suite *s = suite_create("batch (Slurm)");
    TCase *tc = tcase_create("slurm");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, job_array);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return wb_test_main(suite()); }
