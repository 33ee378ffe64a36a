/* The command line: a thin layer over the stages (load, transform, format, render). */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <libxml/parser.h>
#include <libxslt/xslt.h>

#include "driver/brand.h"
#include "output.h"
#include "workbook.h"

#ifndef WB_DATADIR
#define WB_DATADIR "/usr/local/share/workbook"
#endif
#ifndef WB_VERSION
#define WB_VERSION "0.1"
#endif

static const char *const editions[] = {"participant", "trainer", "exercises", "answers", "sign-in", "feedback", NULL};

static void usage_limits(FILE *out);

static void usage_main(FILE *out)
{
    fputs("Usage: workbook COMMAND [OPTIONS]\n"
          "\n"
          "Training-course workbooks from XML: course -> XSLT -> XSL-FO -> PDF.\n"
          "\n"
          "Commands:\n"
          "  build COURSE.xml -o OUT    build an edition of a course (or apply any stylesheet)\n"
          "  render FILE.fo -o OUT      format and render an XSL-FO file\n"
          "  validate COURSE.xml        load and validate a course only\n"
          "  batch CATALOGUE.xml        build every edition a catalogue lists, in parallel,\n"
          "                             only those whose inputs changed\n"
          "  preview COURSE.xml         show an edition's pages in the browser, rebuilt on\n"
          "                             every save\n"
          "\n"
          "Run 'workbook COMMAND --help' for the options of a command.\n"
          "Exit status: 0 success, 1 bad input, 2 bad usage, 3 output not written (or the\n"
          "program's styles not found: see --styles-dir and WB_STYLES_DIR).\n",
          out);
    usage_limits(out);
}

static void usage_build(FILE *out)
{
    fputs("Usage: workbook build COURSE.xml -o OUT [OPTIONS]\n"
          "\n"
          "Loads the course (XInclude, profiling, validation against the course schema),\n"
          "transforms it with the edition's stylesheet, formats and renders it.\n"
          "\n"
          "Options:\n"
          "  -o, --output FILE       the file to write (required), - for standard output; for\n"
          "                          png and svg one file per page: FILE-1.png, FILE-2.png...\n"
          "                          (or FILE with %d or %02d in it: page-%02d.png, page-01.png...)\n"
          "  -e, --edition NAME      participant (default), trainer, exercises, answers, sign-in\n"
          "                          (a session's sign-in sheet) or feedback (a feedback form)\n"
          "  -l, --lang LL           the language to build (default: the course's first)\n"
          "      --paper NAME        A4 (default), A5 or letter\n"
          "      --brand NAME        client brand: the brand.xml beside the course with that id,\n"
          "                          a path to a brand.xml, or a brand of styles/brands.xml\n"
          "                          (also keeps only the course elements marked for that\n"
          "                          brand, or for none)\n"
          "      --audience NAME     keep only the elements marked for this audience (or for none)\n"
          "  -p, --param NAME=VALUE  a stylesheet parameter (repeatable); the shipped styles take\n"
          "                          duplex=no (one-sided: no blank versos, no mirrored margins),\n"
          "                          bleed=3mm (crop marks, PDF TrimBox and BleedBox), draft=yes\n"
          "                          (a watermark), date=YYYY-MM-DD and those of common.xsl\n"
          "  -s, --style FILE.xsl    apply this stylesheet instead of the edition's; the input may\n"
          "                          then be any XML document (it is not validated as a course)\n"
          "      --tagged            with --style, a tagged PDF too (a course's editions always are)\n"
          "  -f, --format FMT        pdf, png, svg, contact or fo (default: from OUT's extension,\n"
          "                          else pdf); contact: every page as a thumbnail on one PNG\n"
          "      --dpi N             resolution of png output (default 96; contact: 20)\n"
          "      --styles-dir DIR    where the shipped styles are (default: found beside the program)\n"
          "      --max-pages N       more pages than N is an error (default 10000; 0: no limit)\n"
          "  -q, --quiet             no warnings\n"
          "      --stats             time and peak memory of each stage on standard error\n"
          "  -h, --help              this help\n",
          out);
    usage_limits(out);
}

static void usage_render(FILE *out)
{
    fputs("Usage: workbook render FILE.fo -o OUT [OPTIONS]\n"
          "\n"
          "Formats and renders any XSL-FO document (the engine's subset; unsupported objects and\n"
          "properties are reported with their line).\n"
          "\n"
          "Options:\n"
          "  -o, --output FILE   the file to write (required), - for standard output (pdf);\n"
          "                      png and svg: one file per page, as for build\n"
          "  -f, --format FMT    pdf, png, svg or contact (default: from OUT's extension, else pdf)\n"
          "      --dpi N         resolution of png output (default 96; contact: 20)\n"
          "      --dump          print the page areas as text instead of rendering (for tests)\n"
          "      --max-pages N   more pages than N is an error (default 10000; 0: no limit)\n"
          "      --confine       read images only from FILE.fo's folder (and --allow-read's),\n"
          "                      for FO files from others\n"
          "      --allow-read DIR  also read images from DIR (implies --confine; repeatable)\n"
          "      --tagged        a tagged PDF (its logical structure, for accessibility; course\n"
          "                      editions from build always are)\n"
          "  -q, --quiet         no warnings\n"
          "      --stats         time and peak memory of each stage on standard error\n"
          "  -h, --help          this help\n",
          out);
    usage_limits(out);
}

static void usage_validate(FILE *out)
{
    fputs("Usage: workbook validate COURSE.xml [OPTIONS]\n"
          "\n"
          "Loads the course as a build would (XInclude within the course folder, profiling) and\n"
          "validates it against the course schema and the rules it cannot say (unique ids,\n"
          "references, answers, image files).  With --all, the languages are also compared with\n"
          "each other: the same exercises, keys, durations and timing steps in each (README,\n"
          "\"One course, several languages\").  Prints nothing and exits 0 when valid.\n"
          "\n"
          "Options:\n"
          "  -l, --lang LL        the language to check (default: the course's first)\n"
          "  -e, --edition NAME   the edition's profile to check\n"
          "      --brand NAME     the brand's profile to check\n"
          "      --audience NAME  the audience's profile to check\n"
          "      --all            every language the course declares, and their consistency\n"
          "      --styles-dir DIR where the course schema is\n"
          "  -h, --help           this help\n",
          out);
}

static void usage_batch(FILE *out)
{
    fputs("Usage: workbook batch CATALOGUE.xml [OPTIONS]\n"
          "\n"
          "Builds the editions a catalogue lists (styles/catalogue.rnc) on worker processes:\n"
          "each course loaded once per language and profile, each stylesheet compiled once,\n"
          "fonts and hyphenation loaded once per worker.  An edition is rebuilt only when one\n"
          "of its inputs changed (the SHA-256 of each is recorded in .NAME.pdf.inputs beside\n"
          "it).  An edition that fails is reported with its file:line:col and the others are\n"
          "still built.\n"
          "\n"
          "Options:\n"
          "  -j, --jobs N          worker processes (default: one per processor)\n"
          "      --out DIR         the folder output names are relative to (default: .)\n"
          "      --force           rebuild every edition, changed or not\n"
          "      --only PATTERN    only the editions whose output name matches the glob\n"
          "                        PATTERN, e.g. '*-fr-*' (repeatable)\n"
          "      --list            print the editions chosen, build nothing\n"
          "      --dry-run         print what would be built and why, build nothing\n"
          "      --shard I/N       build only shard I (1 to N) of N, a cost-balanced share of\n"
          "                        the catalogue that is the same on every machine\n"
          "      --shard auto      I and N from a Slurm job array (SLURM_ARRAY_TASK_*) or a\n"
          "                        Kubernetes indexed job (JOB_COMPLETION_INDEX, WB_SHARD_COUNT)\n"
          "  -q, --quiet           no progress, no summary, no warnings (errors still)\n"
          "      --json FILE       one record per edition: output, status, pages, time, the\n"
          "                        hash of its inputs, messages (- for standard output)\n"
          "      --styles-dir DIR  where the shipped styles are\n"
          "  -h, --help            this help\n"
          "\n"
          "Exit status: 0 every edition built or up to date, 1 an edition failed or the\n"
          "catalogue is invalid, 2 bad usage, 3 an output could not be written, 130 stopped\n"
          "by SIGINT or SIGTERM (finished editions kept, no temporary file left).\n",
          out);
}

/* The limits a hostile or broken input meets, and how to raise them (README, "Security"). */
static void usage_limits(FILE *out)
{
    static const char *const what[WB_LIMIT_COUNT] = {
        [WB_LIMIT_INPUT_BYTES] = "bytes of a file read (XML, image)",
        [WB_LIMIT_DEPTH] = "elements nested in a document",
        [WB_LIMIT_PAGES] = "pages of a document (also --max-pages)",
        [WB_LIMIT_SECONDS] = "seconds a stylesheet may run",
        [WB_LIMIT_NODES] = "nodes of a document or made by a stylesheet",
        [WB_LIMIT_MEMORY] = "bytes of memory a stylesheet may take",
        [WB_LIMIT_PIXELS] = "pixels of an image or of a PNG page",
    };
    fputs("\nLimits, from the environment (a number, K M G for sizes; 0 for none):\n", out);
    for (int i = 0; i < WB_LIMIT_COUNT; i++) {
        static const char *const units[] = {"", "K", "M", "G"};
        unsigned long long v = wb_limit_default(i);
        int u = 0;
        while (u < 3 && v && v % 1024 == 0) {
            v /= 1024;
            u++;
        }
        fprintf(out, "  %-15s %-44s (default %llu%s)\n", wb_limit_env(i), what[i], v, units[u]);
    }
}

static int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "workbook%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'workbook%s%s --help'.\n", cmd ? " " : "", cmd ? cmd : "");
    va_end(ap);
    return WB_ERR_USAGE;
}

/* The styles folder: --styles-dir, $WB_STYLES_DIR, ../../styles beside an in-tree program,
 * or the installed data folder. */
static char *find_styles(const char *opt)
{
    if (opt)
        return g_strdup(opt);
    const char *env = getenv("WB_STYLES_DIR");
    if (env && *env)
        return g_strdup(env);
    /* a program built in the source tree (out/bin, out/asan/bin) uses the tree's styles */
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *dir = g_path_get_dirname(exe);
        /* an installed program: PREFIX/bin beside PREFIX/share, whatever PREFIX was */
        char *installed = g_build_filename(dir, "..", "share", "workbook", "styles", NULL);
        char *cand = g_build_filename(installed, "course.rng", NULL);
        bool found = access(cand, R_OK) == 0;
        g_free(cand);
        if (found) {
            g_free(dir);
            return installed;
        }
        g_free(installed);
        for (int up = 0; up < 4; up++) {
            char *parent = g_path_get_dirname(dir);
            g_free(dir);
            dir = parent;
            char *cand = g_build_filename(dir, "styles", "course.rng", NULL);
            bool ok = access(cand, R_OK) == 0;
            g_free(cand);
            if (ok) {
                char *s = g_build_filename(dir, "styles", NULL);
                g_free(dir);
                return s;
            }
        }
        g_free(dir);
    }
    return g_build_filename(WB_DATADIR, "styles", NULL);
}

static int finish(wb_ctx *ctx, int status)
{
    /* statuses past 3 (no memory, a broken installation) are failures like bad output */
    if (status > WB_ERR_IO)
        status = WB_ERR_IO;
    wb_ctx_report(ctx, stderr);
    wb_ctx_report_stats(ctx, stderr);
    wb_ctx_free(ctx);
    xsltCleanupGlobals();
    xmlCleanupParser();
    return status;
}

static wb_build_format build_format(const char *fmt)
{
    return !strcmp(fmt, "png") ? WB_BUILD_PNG : !strcmp(fmt, "svg") ? WB_BUILD_SVG
           : !strcmp(fmt, "fo") ? WB_BUILD_FO : !strcmp(fmt, "contact") ? WB_BUILD_CONTACT : WB_BUILD_PDF;
}

static bool output_format(const char *name, const char *out, const char **fmt)
{
    if (name) {
        *fmt = name;
        return !strcmp(name, "pdf") || !strcmp(name, "png") || !strcmp(name, "svg") || !strcmp(name, "fo") ||
               !strcmp(name, "contact");
    }
    const char *dot = strrchr(out, '.');
    if (dot && (!strcmp(dot, ".png") || !strcmp(dot, ".svg") || !strcmp(dot, ".fo")))
        *fmt = dot + 1;
    else
        *fmt = "pdf";
    return true;
}

/* --max-pages, checked by the caller. */
static void set_max_pages(wb_ctx *ctx, const char *text)
{
    unsigned long long n;
    if (text && wb_limit_parse(text, &n))
        wb_ctx_set_limit(ctx, WB_LIMIT_PAGES, n);
}

/* A brand the build can find (brand.h), or a usage error naming those it knows; 1 when a
 * brand file is broken. */
static int check_brand(const char *cmd, const char *styles, const char *course, const char *brand)
{
    wb_ctx *ctx = wb_ctx_new();
    char *dir = g_path_get_dirname(course);
    const char *const dirs[] = {dir, NULL};
    wb_brand_kit kit;
    int rc = 0;
    if (wb_brand_find(ctx, styles, dirs, brand, &kit))
        wb_brand_kit_clear(&kit);
    else if (wb_ctx_status(ctx) != WB_OK) {
        wb_ctx_report(ctx, stderr);
        rc = WB_ERR_INPUT;
    } else {
        char *known = wb_brand_known(styles, dirs);
        rc = usage_error(cmd, "unknown brand \"%s\" (known brands: %s; or a path to a brand.xml)", brand, known);
        g_free(known);
    }
    g_free(dir);
    wb_ctx_free(ctx);
    return rc;
}

static int cmd_build(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'}, {"edition", required_argument, 0, 'e'},
        {"lang", required_argument, 0, 'l'},   {"param", required_argument, 0, 'p'},
        {"style", required_argument, 0, 's'},  {"format", required_argument, 0, 'f'},
        {"paper", required_argument, 0, 'P'},  {"brand", required_argument, 0, 'B'},
        {"audience", required_argument, 0, 'A'},
        {"dpi", required_argument, 0, 'D'},    {"styles-dir", required_argument, 0, 'S'},
        {"quiet", no_argument, 0, 'q'},        {"help", no_argument, 0, 'h'},
        {"stats", no_argument, 0, 'T'},
        {"max-pages", required_argument, 0, 'M'},
        {"tagged", no_argument, 0, 'G'},
        {0, 0, 0, 0}};
    const char *out = NULL, *edition = "participant", *lang = NULL, *style = NULL, *fmt_name = NULL;
    const char *max_pages = NULL;
    const char *paper = NULL, *brand = NULL, *audience = NULL, *styles_opt = NULL;
    double dpi = 0; /* the format's default */
    bool quiet = false, stats = false, tagged = false;
    GPtrArray *params = g_ptr_array_new_with_free_func(g_free);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:e:l:p:s:f:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'e': edition = optarg; break;
        case 'l': lang = optarg; break;
        case 's': style = optarg; break;
        case 'f': fmt_name = optarg; break;
        case 'P': paper = optarg; break;
        case 'B': brand = optarg; break;
        case 'A': audience = optarg; break;
        case 'S': styles_opt = optarg; break;
        case 'D': dpi = atof(optarg) > 0 ? atof(optarg) : -1; break;
        case 'M': max_pages = optarg; break;
        case 'q': quiet = true; break;
        case 'T': stats = true; break;
        case 'G': tagged = true; break;
        case 'p': {
            const char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg) {
                g_ptr_array_free(params, TRUE);
                return usage_error("build", "-p wants NAME=VALUE, not \"%s\"", optarg);
            }
            g_ptr_array_add(params, g_strndup(optarg, eq - optarg));
            g_ptr_array_add(params, g_strdup(eq + 1));
            break;
        }
        case 'h':
            usage_build(stdout);
            g_ptr_array_free(params, TRUE);
            return 0;
        default:
            g_ptr_array_free(params, TRUE);
            return usage_error("build", "unknown option");
        }
    }
    int rc = 0;
    const char *fmt = NULL;
    if (optind != argc - 1)
        rc = usage_error("build", optind >= argc ? "no input file given" : "one input file only");
    else if (!out)
        rc = usage_error("build", "no output file given (-o FILE)");
    else if (!output_format(fmt_name, out, &fmt))
        rc = usage_error("build", "unknown format \"%s\" (pdf, png, svg, contact or fo)", fmt_name);
    else if (!style && !g_strv_contains(editions, edition))
        rc = usage_error("build", "unknown edition \"%s\" (participant, trainer, exercises, answers, sign-in or feedback)", edition);
    else if (dpi < 0 || dpi > 2400)
        rc = usage_error("build", "--dpi must be between 1 and 2400");
    else if (max_pages && !wb_limit_parse(max_pages, &(unsigned long long){0}))
        rc = usage_error("build", "--max-pages wants a number, not \"%s\"", max_pages);
    else if (!strcmp(out, "-") && (!strcmp(fmt, "png") || !strcmp(fmt, "svg")))
        rc = usage_error("build", "%s output is one file per page and cannot go to standard output (-o -): "
                         "give a file name, or use pdf or fo", fmt);
    if (rc) {
        g_ptr_array_free(params, TRUE);
        return rc;
    }
    g_ptr_array_add(params, NULL);
    char *styles = find_styles(styles_opt);
    if (brand && !style && (rc = check_brand("build", styles, argv[optind], brand)) != 0) {
        g_free(styles);
        g_ptr_array_free(params, TRUE);
        return rc;
    }
    wb_build_options o = {
        .input = argv[optind],
        .output = out,
        .format = build_format(fmt),
        .dpi = dpi,
        .styles_dir = styles,
        .stylesheet = style,
        .tagged = tagged,
        .profile = {.lang = lang, .edition = edition, .audience = audience, .brand = brand},
        .paper = paper,
        .params = (const char *const *)params->pdata,
    };
    wb_ctx *ctx = wb_ctx_new();
    wb_ctx_set_quiet(ctx, quiet);
    wb_ctx_set_stats(ctx, stats);
    set_max_pages(ctx, max_pages);
    wb_status st = wb_build(ctx, &o);
    g_free(styles);
    g_ptr_array_free(params, TRUE);
    return finish(ctx, st);
}

static int render_files(int argc, char **argv, const char *out, const char *fmt_name, const char *max_pages,
                        double dpi, bool quiet, bool dump, bool stats, bool confine, bool tagged,
                        const GPtrArray *allowed);

static int cmd_render(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'}, {"format", required_argument, 0, 'f'},
        {"dpi", required_argument, 0, 'D'},    {"dump", no_argument, 0, 'd'},
        {"quiet", no_argument, 0, 'q'},        {"help", no_argument, 0, 'h'},
        {"stats", no_argument, 0, 'T'},
        {"max-pages", required_argument, 0, 'M'},
        {"confine", no_argument, 0, 'C'},      {"allow-read", required_argument, 0, 'R'},
        {"tagged", no_argument, 0, 'G'},
        {0, 0, 0, 0}};
    const char *out = NULL, *fmt_name = NULL, *max_pages = NULL;
    double dpi = 0; /* the format's default */
    bool quiet = false, dump = false, stats = false, confine = false, tagged = false;
    GPtrArray *allowed = g_ptr_array_new();
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:f:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'f': fmt_name = optarg; break;
        case 'D': dpi = atof(optarg) > 0 ? atof(optarg) : -1; break;
        case 'd': dump = true; break;
        case 'M': max_pages = optarg; break;
        case 'q': quiet = true; break;
        case 'T': stats = true; break;
        case 'C': confine = true; break;
        case 'G': tagged = true; break;
        case 'R':
            confine = true;
            g_ptr_array_add(allowed, optarg);
            break;
        case 'h': g_ptr_array_free(allowed, TRUE); usage_render(stdout); return 0;
        default: g_ptr_array_free(allowed, TRUE); return usage_error("render", "unknown option");
        }
    }
    int rc = render_files(argc, argv, out, fmt_name, max_pages, dpi, quiet, dump, stats, confine, tagged, allowed);
    g_ptr_array_free(allowed, TRUE);
    return rc;
}

/* `render` once its options are read: `allowed` holds the --allow-read folders. */
static int render_files(int argc, char **argv, const char *out, const char *fmt_name, const char *max_pages,
                        double dpi, bool quiet, bool dump, bool stats, bool confine, bool tagged,
                        const GPtrArray *allowed)
{
    const char *fmt = NULL;
    if (optind != argc - 1)
        return usage_error("render", optind >= argc ? "no input file given" : "one input file only");
    if (!out && !dump)
        return usage_error("render", "no output file given (-o FILE)");
    if (!dump && (!output_format(fmt_name, out, &fmt) || !strcmp(fmt, "fo")))
        return usage_error("render", "unknown format \"%s\" (pdf, png, svg or contact)", fmt_name ? fmt_name : fmt);
    if (dpi < 0 || dpi > 2400)
        return usage_error("render", "--dpi must be between 1 and 2400");
    if (max_pages && !wb_limit_parse(max_pages, &(unsigned long long){0}))
        return usage_error("render", "--max-pages wants a number, not \"%s\"", max_pages);
    if (!dump && !strcmp(out, "-") && strcmp(fmt, "pdf") && strcmp(fmt, "contact"))
        return usage_error("render", "%s output is one file per page and cannot go to standard output (-o -): "
                           "give a file name, or use pdf", fmt);
    const char *input = argv[optind];
    wb_ctx *ctx = wb_ctx_new();
    wb_ctx_set_quiet(ctx, quiet);
    wb_ctx_set_stats(ctx, stats);
    double t0 = wb_clock();
    set_max_pages(ctx, max_pages);
    char *base = g_path_get_dirname(input);
    if (confine) {
        wb_ctx_add_read_folder(ctx, base);
        for (guint i = 0; i < allowed->len; i++)
            wb_ctx_add_read_folder(ctx, g_ptr_array_index(allowed, i));
        wb_ctx_set_confined(ctx, true);
    }
    if (dump) {
        xmlDocPtr doc = wb_load_xml(ctx, input);
        wb_ctx_stat_add(ctx, "load", wb_clock() - t0);
        if (doc)
            wb_format_dump(ctx, doc, input, base, stdout);
        xmlFreeDoc(doc);
    } else {
        wb_render_fo_file(ctx, input, base, build_format(fmt), out, dpi, NULL, tagged);
    }
    g_free(base);
    return finish(ctx, wb_ctx_status(ctx));
}

static int cmd_validate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"lang", required_argument, 0, 'l'}, {"edition", required_argument, 0, 'e'},
        {"all", no_argument, 0, 'a'},        {"styles-dir", required_argument, 0, 'S'},
        {"brand", required_argument, 0, 'B'}, {"audience", required_argument, 0, 'A'},
        {"help", no_argument, 0, 'h'},       {0, 0, 0, 0}};
    const char *lang = NULL, *edition = NULL, *styles_opt = NULL, *brand = NULL, *audience = NULL;
    bool all = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "l:e:h", opts, NULL)) != -1) {
        switch (c) {
        case 'l': lang = optarg; break;
        case 'e': edition = optarg; break;
        case 'a': all = true; break;
        case 'S': styles_opt = optarg; break;
        case 'B': brand = optarg; break;
        case 'A': audience = optarg; break;
        case 'h': usage_validate(stdout); return 0;
        default: return usage_error("validate", "unknown option");
        }
    }
    if (optind != argc - 1)
        return usage_error("validate", optind >= argc ? "no input file given" : "one input file only");
    if (edition && !g_strv_contains(editions, edition))
        return usage_error("validate", "unknown edition \"%s\" (participant, trainer, exercises, answers, sign-in or feedback)", edition);
    const char *input = argv[optind];
    char *styles = find_styles(styles_opt);
    int brc = brand ? check_brand("validate", styles, input, brand) : 0;
    if (brc) {
        g_free(styles);
        return brc;
    }
    wb_ctx *ctx = wb_ctx_new();
    char *schema = g_strdup_printf("%s/course.rng", styles);
    GPtrArray *langs = g_ptr_array_new_with_free_func(g_free);
    if (all) {
        xmlDocPtr d = wb_load_xml(ctx, input);
        xmlChar *l = d ? xmlGetNoNsProp(xmlDocGetRootElement(d), BAD_CAST "languages") : NULL;
        if (l) {
            gchar **v = g_strsplit_set((const char *)l, " \t\n", -1);
            for (int i = 0; v[i]; i++)
                if (*v[i])
                    g_ptr_array_add(langs, g_strdup(v[i]));
            g_strfreev(v);
        }
        xmlFree(l);
        xmlFreeDoc(d);
    }
    if (langs->len == 0)
        g_ptr_array_add(langs, lang ? g_strdup(lang) : NULL);
    /* with --all, every language is kept to compare them when each is valid on its own */
    xmlDocPtr *docs = g_new0(xmlDocPtr, langs->len + 1);
    for (guint i = 0; i < langs->len && wb_ctx_status(ctx) == WB_OK; i++) {
        wb_profile prof = {.lang = g_ptr_array_index(langs, i), .edition = edition, .brand = brand,
                           .audience = audience};
        docs[i] = wb_load_course(ctx, input, &prof, schema);
    }
    if (langs->len > 1 && wb_ctx_status(ctx) == WB_OK)
        wb_check_languages(ctx, docs, (const char *const *)langs->pdata, langs->len);
    for (guint i = 0; i < langs->len; i++)
        xmlFreeDoc(docs[i]);
    g_free(docs);
    g_ptr_array_free(langs, TRUE);
    g_free(schema);
    g_free(styles);
    return finish(ctx, wb_ctx_status(ctx));
}

/* The engine as the inputs records name it: its version and the SHA-256 of the program. */
static char *engine_id(void)
{
    char *data = NULL;
    gsize len = 0;
    char *sum = g_file_get_contents("/proc/self/exe", &data, &len, NULL)
                    ? g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len)
                    : g_strdup("?");
    g_free(data);
    char *id = g_strdup_printf("workbook %s %s", WB_VERSION, sum);
    g_free(sum);
    return id;
}

/* "--shard I/N" (I from 1 to N) or "--shard auto". */
static bool parse_shard(wb_ctx *ctx, const char *v, int *index, int *count)
{
    if (!strcmp(v, "auto"))
        return wb_batch_shard_from_env(ctx, index, count) == WB_OK;
    int i = 0, n = 0;
    char tail;
    if (sscanf(v, "%d/%d%c", &i, &n, &tail) != 2 || n < 1 || i < 1 || i > n)
        return false;
    *index = i - 1;
    *count = n;
    return true;
}

static int cmd_batch(int argc, char **argv)
{
    static const struct option opts[] = {
        {"jobs", required_argument, 0, 'j'},  {"out", required_argument, 0, 'O'},
        {"force", no_argument, 0, 'F'},       {"only", required_argument, 0, 'n'},
        {"list", no_argument, 0, 'L'},        {"dry-run", no_argument, 0, 'N'},
        {"shard", required_argument, 0, 'H'}, {"quiet", no_argument, 0, 'q'},
        {"json", required_argument, 0, 'J'},  {"styles-dir", required_argument, 0, 'S'},
        {"help", no_argument, 0, 'h'},        {0, 0, 0, 0}};
    wb_batch_options o = {.out_dir = "."};
    const char *styles_opt = NULL, *shard = NULL;
    GPtrArray *only = g_ptr_array_new();
    int c, rc = 0;
    optind = 1;
    while (rc == 0 && (c = getopt_long(argc, argv, "j:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'j': o.jobs = atoi(optarg); if (o.jobs < 1) rc = usage_error("batch", "-j wants a number of workers, 1 or more"); break;
        case 'O': o.out_dir = optarg; break;
        case 'F': o.force = true; break;
        case 'n': g_ptr_array_add(only, optarg); break;
        case 'L': o.list = true; break;
        case 'N': o.dry_run = true; break;
        case 'H': shard = optarg; break;
        case 'q': o.quiet = true; break;
        case 'J': o.json = optarg; break;
        case 'S': styles_opt = optarg; break;
        case 'h': usage_batch(stdout); g_ptr_array_free(only, TRUE); return 0;
        default: rc = usage_error("batch", "unknown option");
        }
    }
    if (rc == 0 && optind != argc - 1)
        rc = usage_error("batch", optind >= argc ? "no catalogue given" : "one catalogue only");
    wb_ctx *ctx = wb_ctx_new();
    if (rc == 0 && shard && !parse_shard(ctx, shard, &o.shard_index, &o.shard_count)) {
        wb_ctx_report(ctx, stderr);
        rc = usage_error("batch", "--shard wants I/N with I from 1 to N, or auto");
    }
    if (rc) {
        g_ptr_array_free(only, TRUE);
        wb_ctx_free(ctx);
        return rc;
    }
    g_ptr_array_add(only, NULL);
    char *styles = find_styles(styles_opt);
    char *engine = engine_id();
    o.catalogue = argv[optind];
    o.styles_dir = styles;
    o.only = (const char *const *)only->pdata;
    o.engine_id = engine;
    o.live = !o.quiet && isatty(STDERR_FILENO) && g_strcmp0(getenv("TERM"), "dumb") != 0;
    wb_ctx_set_quiet(ctx, o.quiet);
    int status = wb_batch(ctx, &o);
    g_free(engine);
    g_free(styles);
    g_ptr_array_free(only, TRUE);
    wb_ctx_report(ctx, stderr);
    wb_ctx_free(ctx);
    xsltCleanupGlobals();
    xmlCleanupParser();
    return status;
}

static void usage_preview(FILE *out)
{
    fputs("Usage: workbook preview COURSE.xml [OPTIONS]\n"
          "\n"
          "Serves the edition's pages to a browser on this machine and rebuilds them whenever\n"
          "a file of the course folder or of the styles folder changes; the open page follows\n"
          "by itself, shows the messages above the pages, and names the course file and line\n"
          "of what is clicked.  Prints the address to open; stops on Ctrl-C.\n"
          "\n"
          "Options:\n"
          "  -e, --edition NAME      participant (default), trainer, exercises or answers\n"
          "  -l, --lang LL           the language to show (default: the course's first)\n"
          "      --paper NAME        A4 (default), A5 or letter\n"
          "      --brand NAME        client brand from styles/brands.xml\n"
          "      --audience NAME     keep only the elements marked for this audience (or for none)\n"
          "  -p, --param NAME=VALUE  a stylesheet parameter (repeatable)\n"
          "      --port N            the port to listen on (default: any free one)\n"
          "      --listen ADDR       the address to listen on (default 127.0.0.1: this machine\n"
          "                          only; 0.0.0.0 opens the preview to the network)\n"
          "      --dpi N             resolution of the page images (default 96)\n"
          "      --styles-dir DIR    where the shipped styles are (default: found beside the program)\n"
          "  -h, --help              this help\n",
          out);
}

static int cmd_preview(int argc, char **argv)
{
    static const struct option opts[] = {
        {"edition", required_argument, 0, 'e'}, {"lang", required_argument, 0, 'l'},
        {"param", required_argument, 0, 'p'},   {"paper", required_argument, 0, 'P'},
        {"brand", required_argument, 0, 'B'},   {"audience", required_argument, 0, 'A'},
        {"port", required_argument, 0, 'O'},    {"listen", required_argument, 0, 'L'},
        {"dpi", required_argument, 0, 'D'},     {"styles-dir", required_argument, 0, 'S'},
        {"help", no_argument, 0, 'h'},          {0, 0, 0, 0}};
    wb_preview_options o = {.log = stdout};
    const char *edition = "participant", *styles_opt = NULL;
    long port = 0;
    int rc = 0, c;
    GPtrArray *params = g_ptr_array_new_with_free_func(g_free);
    optind = 1;
    while (!rc && (c = getopt_long(argc, argv, "e:l:p:h", opts, NULL)) != -1) {
        switch (c) {
        case 'e': edition = optarg; break;
        case 'l': o.profile.lang = optarg; break;
        case 'P': o.paper = optarg; break;
        case 'B': o.profile.brand = optarg; break;
        case 'A': o.profile.audience = optarg; break;
        case 'L': o.listen = optarg; break;
        case 'O': port = strtol(optarg, NULL, 10); if (port < 1 || port > 65535) rc = usage_error("preview", "--port wants a number from 1 to 65535"); break;
        case 'D': o.dpi = atof(optarg); if (o.dpi < 1 || o.dpi > 600) rc = usage_error("preview", "--dpi must be between 1 and 600"); break;
        case 'S': styles_opt = optarg; break;
        case 'p': {
            const char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg) {
                rc = usage_error("preview", "-p wants NAME=VALUE, not \"%s\"", optarg);
                break;
            }
            g_ptr_array_add(params, g_strndup(optarg, eq - optarg));
            g_ptr_array_add(params, g_strdup(eq + 1));
            break;
        }
        case 'h': usage_preview(stdout); g_ptr_array_free(params, TRUE); return 0;
        default: rc = usage_error("preview", "unknown option");
        }
    }
    if (!rc && optind != argc - 1)
        rc = usage_error("preview", optind >= argc ? "no course file given" : "one course file only");
    else if (!rc && !g_strv_contains(editions, edition))
        rc = usage_error("preview", "unknown edition \"%s\" (participant, trainer, exercises or answers)", edition);
    if (rc) {
        g_ptr_array_free(params, TRUE);
        return rc;
    }
    g_ptr_array_add(params, NULL);
    char *styles = find_styles(styles_opt);
    o.course = argv[optind];
    o.styles_dir = styles;
    o.profile.edition = edition;
    o.params = (const char *const *)params->pdata;
    o.port = (int)port;
    wb_ctx *ctx = wb_ctx_new();
    wb_status st = wb_preview(ctx, &o);
    g_free(styles);
    g_ptr_array_free(params, TRUE);
    return finish(ctx, st);
}

/* GLib ends the program when an allocation fails (and on other fatal errors, logged at
 * G_LOG_LEVEL_ERROR): say so in one line of our own, leave no temporary file, and end with the
 * status of an output failure instead of a core dump. */
static G_NORETURN void glib_fatal(const char *message)
{
    wb_output_remove_temporaries();
    bool nomem = message && (strstr(message, "failed to allocate") || strstr(message, "Cannot allocate memory") ||
                             strstr(message, "Resource temporarily unavailable"));
    char line[512];
    int n = nomem ? snprintf(line, sizeof line, "workbook: error: out of memory; no output was written\n")
                  : snprintf(line, sizeof line, "workbook: error: internal failure: %.400s; no output was written\n",
                             message ? message : "?");
    if (n > 0) {
        ssize_t w = write(STDERR_FILENO, line, (size_t)MIN(n, (int)sizeof line - 1));
        (void)w;
    }
    _exit(WB_ERR_IO);
}

static GLogWriterOutput log_writer(GLogLevelFlags level, const GLogField *fields, gsize n, gpointer data)
{
    if (level & G_LOG_LEVEL_ERROR) {
        const char *message = NULL;
        for (gsize i = 0; i < n; i++)
            if (!strcmp(fields[i].key, "MESSAGE") && fields[i].length < 0)
                message = fields[i].value;
        glib_fatal(message);
    }
    return g_log_writer_default(level, fields, n, data);
}

static void log_handler(const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
    if (level & G_LOG_LEVEL_ERROR)
        glib_fatal(message);
    g_log_default_handler(domain, level, message, data);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage_main(stderr);
        return WB_ERR_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage_main(stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("workbook %s\n", WB_VERSION);
        return 0;
    }
    /* an interrupted build leaves no temporary file behind (the old output stays as it was) */
    wb_output_install_signal_handlers();
    g_log_set_writer_func(log_writer, NULL, NULL);
    g_log_set_default_handler(log_handler, NULL);
    xmlInitParser();
    LIBXML_TEST_VERSION
    if (!strcmp(cmd, "build"))
        return cmd_build(argc - 1, argv + 1);
    if (!strcmp(cmd, "render"))
        return cmd_render(argc - 1, argv + 1);
    if (!strcmp(cmd, "validate"))
        return cmd_validate(argc - 1, argv + 1);
    if (!strcmp(cmd, "batch"))
        return cmd_batch(argc - 1, argv + 1);
    if (!strcmp(cmd, "preview"))
        return cmd_preview(argc - 1, argv + 1);
    return usage_error(NULL, "unknown command \"%s\" (build, render, validate, batch or preview)", cmd);
}
