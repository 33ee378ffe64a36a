/* Output files as Unix tools treat them.  Private to the library, one layer below render: it
 * knows files, not pages.
 *
 * wb_output_open looks at what the path names and chooses how to write it:
 *
 *  - "-" is standard output, and /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N are
 *    the program's own descriptors: written to directly (a duplicate of the descriptor).
 *  - A regular file, or a symbolic link to one (followed to the end, relative links from the
 *    link's folder), or a name that does not exist yet in an existing folder (a dangling link:
 *    its target is created): written to a new temporary file ".NAME.XXXXXX" in the folder of
 *    the REAL file, which wb_output_commit renames over it, so the replacement is atomic and
 *    the link stays a link.  The new file keeps the existing file's permission bits (and its
 *    owner and group where the user may set them); a file that did not exist gets
 *    0666 & ~umask, as fopen would make it.  An existing file the user may not write is
 *    refused ("not writable (read-only file)"), as cp would refuse it.
 *  - A folder is refused ("is a folder").
 *  - Anything else that exists (a character or block device such as /dev/null, a terminal, a
 *    FIFO, a Unix socket, or a link into /proc) is opened for writing and written to directly:
 *    it is never replaced, truncated by rename or removed.  A write error there (/dev/full's
 *    "no space left on device") is an error like any other.
 *
 * With WB_OUTPUT_SPOOL the caller gets a regular temporary file in every case: for a target
 * written directly, the data goes to a spool file in $TMPDIR (else /tmp) first, and
 * wb_output_commit copies it to the target.  This is for writers that change their file by
 * path before it is committed (the PDF post-pass), and it also means that nothing reaches a
 * device or pipe when the work fails.
 *
 * Errors are recorded on the context as WB_ERR_IO with the path as given (or "standard
 * output") and the reason: "no such folder: DIR", "folder DIR: permission denied",
 * "is a folder", "not writable (read-only file)", "no space left on device"...  Each output
 * reports its first error only; later calls fail quietly.
 *
 * Nothing is lost: the target is touched only by wb_output_commit (a rename, or the copy to a
 * device).  Every temporary file is removed by commit or abort, and the registry of live
 * temporary files lets wb_output_remove_temporaries remove them from a signal handler (see
 * wb_output_install_signal_handlers).
 *
 * Ownership: wb_output_open gives the caller an output that must be handed back exactly once,
 * to wb_output_commit or to wb_output_abort, which both free it.  Strings passed in are
 * copied; strings returned are borrowed from the output and live until it is handed back. */
#ifndef WB_OUTPUT_H
#define WB_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>

#include "workbook/context.h"

typedef struct wb_output wb_output;

/* Flags of wb_output_open. */
enum {
    /* always write to a regular temporary file (wb_output_temp_path is never NULL): for a
     * target written directly, a spool file in $TMPDIR copied to the target on commit */
    WB_OUTPUT_SPOOL = 1u << 0,
};

/* Opens `path` for writing as described above ("-" for standard output).  Folders, files
 * that may not be written, missing folders and the like are refused here, before any work.
 * A FIFO is opened here too, which waits for a reader as any writer would.  Returns NULL with
 * the error on ctx (WB_ERR_IO). */
wb_output *wb_output_open(wb_ctx *ctx, const char *path, unsigned flags);

/* Appends len bytes (buffered).  False once any write has failed (the first failure is
 * reported on the context with its reason). */
bool wb_output_write(wb_output *o, const void *data, size_t len);

/* A cairo write function over wb_output_write, for cairo_pdf_surface_create_for_stream,
 * cairo_svg_surface_create_for_stream and cairo_surface_write_to_png_stream; the closure is
 * the wb_output (borrowed: destroy the surface before handing the output back). */
cairo_status_t wb_output_cairo_write(void *closure, const unsigned char *data, unsigned int len);

/* WB_OK while every write, flush and close succeeded, else WB_ERR_IO (already reported). */
wb_status wb_output_status(const wb_output *o);

/* Ends the writing: flushes the buffer and closes the temporary file (or, written directly,
 * the target), reporting a write error.  Afterwards the file named by wb_output_temp_path is
 * complete and may be changed by path (the PDF post-pass appends to it) until the commit;
 * nothing more may be written.  Optional: wb_output_commit closes when it was not done.  Also
 * useful to give back the descriptor early when many outputs are kept (a file per page). */
wb_status wb_output_close(wb_output *o);

/* The temporary regular file being written: beside the real target, or the spool file in
 * $TMPDIR (WB_OUTPUT_SPOOL); NULL when the output is written straight to its target.
 * Borrowed. */
const char *wb_output_temp_path(const wb_output *o);

/* The path as given ("-" for standard output), borrowed. */
const char *wb_output_path(const wb_output *o);

/* Completes the output and frees it: closes it if not done, then renames the temporary file
 * over the real target (or copies the spool file to the device and closes it).  On any error
 * the target is as it was (for a regular file) and the temporary file is removed; WB_ERR_IO
 * is returned and reported.  `o` is freed in every case. */
wb_status wb_output_commit(wb_output *o);

/* Gives up: closes, removes the temporary file, leaves the target untouched, and frees `o`
 * (NULL is allowed).  Whatever was already written to a device or pipe directly stays
 * written. */
void wb_output_abort(wb_output *o);

/* Removes every temporary file of live outputs.  Async-signal-safe (unlink only): for a
 * signal handler, or at exit. */
void wb_output_remove_temporaries(void);

/* For programs (the command line): SIGHUP, SIGINT, SIGQUIT, SIGPIPE and SIGTERM, unless
 * ignored, get a handler that calls wb_output_remove_temporaries and then re-raises the
 * signal with its default action, so the program still ends as the signal says.  Faults
 * (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP; not in sanitizer builds, whose own
 * reports say more) remove the temporaries too and print one line
 * "PROGRAM: error: internal failure (signal N); no output was written" before the default
 * action.  Also removes the temporaries at exit().  The registry is kept consistent with the handler by
 * blocking these signals while it changes; a program with several threads should let one
 * thread take these signals. */
void wb_output_install_signal_handlers(void);

#endif
