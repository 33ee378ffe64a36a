#!/usr/bin/perl
# FOP XML hyphenation patterns from a libhyphen dictionary (Debian's /usr/share/hyphen), so
# that Apache FOP hyphenates from the same patterns as the engine (Debian's fop package ships
# none of its own).  Used by tools/compare.sh and tests/bench/run.sh.
#   iconv -f ENCODING -t UTF-8 hyph_LL.dic | perl tools/fop-patterns.pl [WORDS] > LL.xml
# The dictionary comes in UTF-8 on standard input (its first line, the encoding, is skipped).
# FOP's pattern tree has 16-bit node indices and cannot hold Debian's German dictionary (78000
# patterns): when a dictionary has more than 50000 patterns and a file of words (one a line,
# lower case) is given, only the patterns that occur in those words are kept, which
# hyphenates them exactly as the whole dictionary would.  Exit status 1 when no patterns.
use strict; use warnings;
binmode STDIN, ':encoding(UTF-8)'; binmode STDOUT, ':encoding(UTF-8)';
my $wordfile = shift // '';
my ($left, $right) = (2, 2); my (%letters, @patterns, %seen);
<STDIN>;                                            # the encoding line
while (my $l = <STDIN>) {
    $l =~ s/\s+\z//; $l =~ s/^\s+//;
    next if $l eq '' || $l =~ /^[%#]/;
    if ($l =~ /^LEFTHYPHENMIN\s+(\d+)/) { $left = $1; next; }
    if ($l =~ /^RIGHTHYPHENMIN\s+(\d+)/) { $right = $1; next; }
    next if $l =~ /^[A-Z]+(\s|\z)/;                  # NEXTLEVEL, COMPOUNDLEFTHYPHENMIN...
    next if $l =~ m{[/\s=,]};                         # non-standard (replacement) patterns
    $l = lc $l;
    next if $seen{$l}++;
    push @patterns, $l;
}
exit 1 unless @patterns;
my $note = '';
if (@patterns > 50000 && $wordfile ne '' && open my $w, '<:encoding(UTF-8)', $wordfile) {
    my (%sub, $max);
    $max = 0;
    for (@patterns) { (my $k = $_) =~ s/[0-9]//g; $max = length $k if length $k > $max; }
    while (my $word = <$w>) {
        chomp $word; $word = ".$word.";
        my $n = length $word;
        for my $i (0 .. $n - 1) {
            for my $j (1 .. ($n - $i > $max ? $max : $n - $i)) { $sub{substr $word, $i, $j} = 1; }
        }
    }
    my $total = @patterns;
    @patterns = grep { (my $k = $_) =~ s/[0-9]//g; $sub{$k} } @patterns;
    $note = "<!-- " . scalar(@patterns) . " of $total patterns: those occurring in the compared files -->\n";
}
for my $p (@patterns) { $letters{$_} = 1 for grep { !/[0-9.]/ } split //, $p; }
$letters{"\x{2019}"} = 1 if $letters{"'"} && !$letters{"\x{2019}"};
print qq{<?xml version="1.0" encoding="UTF-8"?>\n$note<hyphenation-info>\n};
print qq{<hyphen-char value="-"/>\n<hyphen-min before="$left" after="$right"/>\n<classes>\n};
for my $c (sort keys %letters) {
    my $u = uc $c; my $g = ($u ne $c && length($u) == 1) ? "$c$u" : $c;
    $g =~ s/&/&amp;/g; $g =~ s/</&lt;/g; print "$g\n";
}
print "</classes>\n<patterns>\n";
for my $p (@patterns) { (my $q = $p) =~ s/&/&amp;/g; $q =~ s/</&lt;/g; print "$q\n"; }
print "</patterns>\n</hyphenation-info>\n";
