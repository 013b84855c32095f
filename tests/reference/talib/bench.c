/*
 * Times TA-Lib's C library on the workbench's "core set" (the 28 indicators, 34 outputs, of
 * FeatureBenchmarks.CoreIndicators, at the same parameters) over every CSV given, one thread, outputs into
 * preallocated buffers, so the C# benchmark has a side-by-side reference measured on the same machine and load.
 * Usage: bench <repeats> <csv>... ; prints min, median and mean milliseconds per pass over all files.
 * Build and run: see README.md in this folder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ta_libc.h"

#define MAXROWS 4000
#define MAXFILES 64
typedef struct { int n; double *o, *h, *l, *c, *v; } Series;
static Series series[MAXFILES];
static double *out[3];

static void load(const char *path, Series *s)
{
    FILE *f = fopen(path, "r");
    char line[512];
    if (!f || !fgets(line, sizeof line, f)) { fprintf(stderr, "cannot read %s\n", path); exit(2); }
    s->o = malloc(sizeof(double) * MAXROWS); s->h = malloc(sizeof(double) * MAXROWS); s->l = malloc(sizeof(double) * MAXROWS);
    s->c = malloc(sizeof(double) * MAXROWS); s->v = malloc(sizeof(double) * MAXROWS);
    char date[32];
    while (s->n < MAXROWS && fgets(line, sizeof line, f))
    {
        int i = s->n;
        if (sscanf(line, "%31[^,],%lf,%lf,%lf,%lf,%lf", date, &s->o[i], &s->h[i], &s->l[i], &s->c[i], &s->v[i]) == 6) s->n++;
    }
    fclose(f);
}

static void ok(TA_RetCode rc, const char *what) { if (rc != TA_SUCCESS) { fprintf(stderr, "%s failed: %d\n", what, rc); exit(1); } }

/* One pass: the 28 indicators over one series. */
static void core(const Series *s)
{
    int b, m, e = s->n - 1;
    const double *h = s->h, *l = s->l, *c = s->c, *v = s->v;
    ok(TA_SMA(0, e, c, 30, &b, &m, out[0]), "SMA30");
    ok(TA_SMA(0, e, c, 60, &b, &m, out[0]), "SMA60");
    ok(TA_EMA(0, e, c, 30, &b, &m, out[0]), "EMA");
    ok(TA_MACD(0, e, c, 12, 26, 9, &b, &m, out[0], out[1], out[2]), "MACD");
    ok(TA_BBANDS(0, e, c, 20, 2, 2, TA_MAType_SMA, &b, &m, out[0], out[1], out[2]), "BBANDS");
    ok(TA_RSI(0, e, c, 14, &b, &m, out[0]), "RSI14");
    ok(TA_RSI(0, e, c, 30, &b, &m, out[0]), "RSI30");
    ok(TA_CCI(0, e, h, l, c, 30, &b, &m, out[0]), "CCI");
    ok(TA_DX(0, e, h, l, c, 30, &b, &m, out[0]), "DX");
    ok(TA_ADX(0, e, h, l, c, 14, &b, &m, out[0]), "ADX");
    ok(TA_ATR(0, e, h, l, c, 14, &b, &m, out[0]), "ATR");
    ok(TA_STOCH(0, e, h, l, c, 5, 3, TA_MAType_SMA, 3, TA_MAType_SMA, &b, &m, out[0], out[1]), "STOCH");
    ok(TA_WILLR(0, e, h, l, c, 14, &b, &m, out[0]), "WILLR");
    ok(TA_MFI(0, e, h, l, c, v, 14, &b, &m, out[0]), "MFI");
    ok(TA_OBV(0, e, c, v, &b, &m, out[0]), "OBV");
    ok(TA_AD(0, e, h, l, c, v, &b, &m, out[0]), "AD");
    ok(TA_ADOSC(0, e, h, l, c, v, 3, 10, &b, &m, out[0]), "ADOSC");
    ok(TA_ROC(0, e, c, 10, &b, &m, out[0]), "ROC");
    ok(TA_MOM(0, e, c, 10, &b, &m, out[0]), "MOM");
    ok(TA_TRIX(0, e, c, 30, &b, &m, out[0]), "TRIX");
    ok(TA_ULTOSC(0, e, h, l, c, 7, 14, 28, &b, &m, out[0]), "ULTOSC");
    ok(TA_AROON(0, e, h, l, 14, &b, &m, out[0], out[1]), "AROON");
    ok(TA_SAR(0, e, h, l, 0.02, 0.2, &b, &m, out[0]), "SAR");
    ok(TA_KAMA(0, e, c, 30, &b, &m, out[0]), "KAMA");
    ok(TA_T3(0, e, c, 5, 0.7, &b, &m, out[0]), "T3");
    ok(TA_STDDEV(0, e, c, 5, 1, &b, &m, out[0]), "STDDEV");
    ok(TA_LINEARREG(0, e, c, 14, &b, &m, out[0]), "LINEARREG");
    ok(TA_CORREL(0, e, h, l, 30, &b, &m, out[0]), "CORREL");
}

static double now_ms(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }
static int by_value(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y); }

int main(int argc, char **argv)
{
    if (argc < 3) { fprintf(stderr, "usage: bench <repeats> <csv>...\n"); return 2; }
    int repeats = atoi(argv[1]), files = argc - 2;
    if (repeats < 1 || files > MAXFILES) { fprintf(stderr, "repeats must be >= 1 and at most %d files\n", MAXFILES); return 2; }
    for (int i = 0; i < files; i++) load(argv[i + 2], &series[i]);
    for (int k = 0; k < 3; k++) out[k] = malloc(sizeof(double) * MAXROWS);
    TA_Initialize();
    for (int w = 0; w < 5; w++) for (int i = 0; i < files; i++) core(&series[i]); /* warm caches */
    double *ms = malloc(sizeof(double) * repeats), sum = 0;
    for (int r = 0; r < repeats; r++)
    {
        double t0 = now_ms();
        for (int i = 0; i < files; i++) core(&series[i]);
        ms[r] = now_ms() - t0;
        sum += ms[r];
    }
    qsort(ms, repeats, sizeof(double), by_value);
    int rows = 0;
    for (int i = 0; i < files; i++) rows += series[i].n;
    printf("TA-Lib C core set (28 indicators, 34 outputs), %d series, %d rows, %d passes: min %.2f ms, median %.2f ms, mean %.2f ms\n",
        files, rows, repeats, ms[0], ms[repeats / 2], sum / repeats);
    TA_Shutdown();
    return 0;
}
