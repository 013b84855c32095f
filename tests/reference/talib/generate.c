/*
 * Writes TA-Lib's own output for every indicator the workbench reimplements, at TA-Lib's default parameters, for one
 * OHLCV CSV (Date,Open,High,Low,Close,Volume[,...]). The fixture it produced is
 * tests/Research.Core.Tests/Features/Reference/*.talib.csv; see README.md in this folder for how to rebuild it.
 * Usage: generate <in.csv> <rows> > out.csv
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ta_libc.h"

#define MAXROWS 4000
#define MAXCOLS 160
static double o[MAXROWS], h[MAXROWS], l[MAXROWS], c[MAXROWS], v[MAXROWS];
static char dates[MAXROWS][16];
static int n;
static const char *names[MAXCOLS];
static double cols[MAXCOLS][MAXROWS];
static int ncols;
static double *tmp[3];
static int itmp[MAXROWS];

static double *col(const char *name) { names[ncols] = name; for (int i = 0; i < n; i++) cols[ncols][i] = NAN; return cols[ncols++]; }
static void place(double *dst, const double *src, int beg, int nb) { for (int i = 0; i < nb; i++) dst[beg + i] = src[i]; }
static void check(TA_RetCode rc, const char *what) { if (rc != TA_SUCCESS) { fprintf(stderr, "%s failed: %d\n", what, rc); exit(1); } }

#define ONE(NAME, CALL) do { int b = 0, m = 0; double *d = col(NAME); check(CALL, NAME); place(d, tmp[0], b, m); } while (0)
#define TWO(N1, N2, CALL) do { int b = 0, m = 0; double *d1 = col(N1), *d2 = col(N2); check(CALL, N1); place(d1, tmp[0], b, m); place(d2, tmp[1], b, m); } while (0)
#define THREE(N1, N2, N3, CALL) do { int b = 0, m = 0; double *d1 = col(N1), *d2 = col(N2), *d3 = col(N3); check(CALL, N1); place(d1, tmp[0], b, m); place(d2, tmp[1], b, m); place(d3, tmp[2], b, m); } while (0)
#define CDL(NAME, FN) do { int b = 0, m = 0; double *d = col(NAME); check(FN(0, n - 1, o, h, l, c, &b, &m, itmp), NAME); for (int i = 0; i < m; i++) d[b + i] = itmp[i]; } while (0)
#define CDLP(NAME, FN, P) do { int b = 0, m = 0; double *d = col(NAME); check(FN(0, n - 1, o, h, l, c, P, &b, &m, itmp), NAME); for (int i = 0; i < m; i++) d[b + i] = itmp[i]; } while (0)
#define R 0, n - 1
#define OUT1 &b, &m, tmp[0]
#define OUT2 &b, &m, tmp[0], tmp[1]
#define OUT3 &b, &m, tmp[0], tmp[1], tmp[2]

int main(int argc, char **argv)
{
    if (argc < 3) { fprintf(stderr, "usage: generate <in.csv> <rows>\n"); return 2; }
    FILE *f = fopen(argv[1], "r");
    int rows = atoi(argv[2]);
    char line[512];
    if (!f || !fgets(line, sizeof line, f)) { fprintf(stderr, "cannot read %s\n", argv[1]); return 2; }
    while (n < rows && n < MAXROWS && fgets(line, sizeof line, f))
    {
        if (sscanf(line, "%15[^,],%lf,%lf,%lf,%lf,%lf", dates[n], &o[n], &h[n], &l[n], &c[n], &v[n]) == 6) n++;
    }
    fclose(f);
    for (int k = 0; k < 3; k++) tmp[k] = malloc(sizeof(double) * MAXROWS);
    TA_Initialize();

    ONE("SMA", TA_SMA(R, c, 30, OUT1));
    ONE("EMA", TA_EMA(R, c, 30, OUT1));
    ONE("WMA", TA_WMA(R, c, 30, OUT1));
    ONE("DEMA", TA_DEMA(R, c, 30, OUT1));
    ONE("TEMA", TA_TEMA(R, c, 30, OUT1));
    ONE("TRIMA", TA_TRIMA(R, c, 30, OUT1));
    ONE("KAMA", TA_KAMA(R, c, 30, OUT1));
    ONE("T3", TA_T3(R, c, 5, 0.7, OUT1));
    TWO("MAMA_mama", "MAMA_fama", TA_MAMA(R, c, 0.5, 0.05, OUT2));
    THREE("BBANDS_upper", "BBANDS_middle", "BBANDS_lower", TA_BBANDS(R, c, 5, 2, 2, TA_MAType_SMA, OUT3));
    ONE("SAR", TA_SAR(R, h, l, 0.02, 0.2, OUT1));
    ONE("MIDPOINT", TA_MIDPOINT(R, c, 14, OUT1));
    ONE("MIDPRICE", TA_MIDPRICE(R, h, l, 14, OUT1));
    ONE("HT_TRENDLINE", TA_HT_TRENDLINE(R, c, OUT1));

    THREE("MACD_macd", "MACD_signal", "MACD_hist", TA_MACD(R, c, 12, 26, 9, OUT3));
    ONE("RSI", TA_RSI(R, c, 14, OUT1));
    TWO("STOCH_slowk", "STOCH_slowd", TA_STOCH(R, h, l, c, 5, 3, TA_MAType_SMA, 3, TA_MAType_SMA, OUT2));
    TWO("STOCHF_fastk", "STOCHF_fastd", TA_STOCHF(R, h, l, c, 5, 3, TA_MAType_SMA, OUT2));
    TWO("STOCHRSI_fastk", "STOCHRSI_fastd", TA_STOCHRSI(R, c, 14, 5, 3, TA_MAType_SMA, OUT2));
    ONE("CCI", TA_CCI(R, h, l, c, 14, OUT1));
    ONE("ADX", TA_ADX(R, h, l, c, 14, OUT1));
    ONE("ADXR", TA_ADXR(R, h, l, c, 14, OUT1));
    ONE("DX", TA_DX(R, h, l, c, 14, OUT1));
    ONE("PLUS_DI", TA_PLUS_DI(R, h, l, c, 14, OUT1));
    ONE("MINUS_DI", TA_MINUS_DI(R, h, l, c, 14, OUT1));
    ONE("PLUS_DM", TA_PLUS_DM(R, h, l, 14, OUT1));
    ONE("MINUS_DM", TA_MINUS_DM(R, h, l, 14, OUT1));
    TWO("AROON_down", "AROON_up", TA_AROON(R, h, l, 14, OUT2));
    ONE("AROONOSC", TA_AROONOSC(R, h, l, 14, OUT1));
    ONE("MFI", TA_MFI(R, h, l, c, v, 14, OUT1));
    ONE("WILLR", TA_WILLR(R, h, l, c, 14, OUT1));
    ONE("ROC", TA_ROC(R, c, 10, OUT1));
    ONE("ROCP", TA_ROCP(R, c, 10, OUT1));
    ONE("ROCR", TA_ROCR(R, c, 10, OUT1));
    ONE("ROCR100", TA_ROCR100(R, c, 10, OUT1));
    ONE("MOM", TA_MOM(R, c, 10, OUT1));
    ONE("CMO", TA_CMO(R, c, 14, OUT1));
    ONE("PPO", TA_PPO(R, c, 12, 26, TA_MAType_SMA, OUT1));
    ONE("APO", TA_APO(R, c, 12, 26, TA_MAType_SMA, OUT1));
    ONE("TRIX", TA_TRIX(R, c, 30, OUT1));
    ONE("ULTOSC", TA_ULTOSC(R, h, l, c, 7, 14, 28, OUT1));
    ONE("BOP", TA_BOP(R, o, h, l, c, OUT1));

    ONE("ATR", TA_ATR(R, h, l, c, 14, OUT1));
    ONE("NATR", TA_NATR(R, h, l, c, 14, OUT1));
    ONE("TRANGE", TA_TRANGE(R, h, l, c, OUT1));

    ONE("OBV", TA_OBV(R, c, v, OUT1));
    ONE("AD", TA_AD(R, h, l, c, v, OUT1));
    ONE("ADOSC", TA_ADOSC(R, h, l, c, v, 3, 10, OUT1));

    ONE("STDDEV", TA_STDDEV(R, c, 5, 1, OUT1));
    ONE("VAR", TA_VAR(R, c, 5, 1, OUT1));
    ONE("LINEARREG", TA_LINEARREG(R, c, 14, OUT1));
    ONE("LINEARREG_SLOPE", TA_LINEARREG_SLOPE(R, c, 14, OUT1));
    ONE("LINEARREG_ANGLE", TA_LINEARREG_ANGLE(R, c, 14, OUT1));
    ONE("LINEARREG_INTERCEPT", TA_LINEARREG_INTERCEPT(R, c, 14, OUT1));
    ONE("TSF", TA_TSF(R, c, 14, OUT1));
    ONE("BETA", TA_BETA(R, h, l, 5, OUT1));
    ONE("CORREL", TA_CORREL(R, h, l, 30, OUT1));
    ONE("MAX", TA_MAX(R, c, 30, OUT1));
    ONE("MIN", TA_MIN(R, c, 30, OUT1));
    ONE("SUM", TA_SUM(R, c, 30, OUT1));
    ONE("AVGDEV", TA_AVGDEV(R, c, 14, OUT1));

    ONE("AVGPRICE", TA_AVGPRICE(R, o, h, l, c, OUT1));
    ONE("MEDPRICE", TA_MEDPRICE(R, h, l, OUT1));
    ONE("TYPPRICE", TA_TYPPRICE(R, h, l, c, OUT1));
    ONE("WCLPRICE", TA_WCLPRICE(R, h, l, c, OUT1));

    ONE("HT_DCPERIOD", TA_HT_DCPERIOD(R, c, OUT1));
    ONE("HT_DCPHASE", TA_HT_DCPHASE(R, c, OUT1));
    TWO("HT_PHASOR_inphase", "HT_PHASOR_quadrature", TA_HT_PHASOR(R, c, OUT2));
    TWO("HT_SINE_sine", "HT_SINE_leadsine", TA_HT_SINE(R, c, OUT2));
    { int b = 0, m = 0; double *d = col("HT_TRENDMODE"); check(TA_HT_TRENDMODE(R, c, &b, &m, itmp), "HT_TRENDMODE"); for (int i = 0; i < m; i++) d[b + i] = itmp[i]; }

    CDL("CDLDOJI", TA_CDLDOJI);
    CDL("CDLDRAGONFLYDOJI", TA_CDLDRAGONFLYDOJI);
    CDL("CDLGRAVESTONEDOJI", TA_CDLGRAVESTONEDOJI);
    CDL("CDLLONGLEGGEDDOJI", TA_CDLLONGLEGGEDDOJI);
    CDL("CDLHAMMER", TA_CDLHAMMER);
    CDL("CDLHANGINGMAN", TA_CDLHANGINGMAN);
    CDL("CDLINVERTEDHAMMER", TA_CDLINVERTEDHAMMER);
    CDL("CDLSHOOTINGSTAR", TA_CDLSHOOTINGSTAR);
    CDL("CDLMARUBOZU", TA_CDLMARUBOZU);
    CDL("CDLSPINNINGTOP", TA_CDLSPINNINGTOP);
    CDL("CDLENGULFING", TA_CDLENGULFING);
    CDL("CDLHARAMI", TA_CDLHARAMI);
    CDLP("CDLMORNINGSTAR", TA_CDLMORNINGSTAR, 0.3);
    CDLP("CDLEVENINGSTAR", TA_CDLEVENINGSTAR, 0.3);
    CDL("CDL3WHITESOLDIERS", TA_CDL3WHITESOLDIERS);
    CDL("CDL3BLACKCROWS", TA_CDL3BLACKCROWS);

    printf("Date,Open,High,Low,Close,Volume");
    for (int k = 0; k < ncols; k++) printf(",%s", names[k]);
    printf("\n");
    for (int i = 0; i < n; i++)
    {
        printf("%s,%.17g,%.17g,%.17g,%.17g,%.17g", dates[i], o[i], h[i], l[i], c[i], v[i]);
        for (int k = 0; k < ncols; k++)
        {
            if (isnan(cols[k][i])) printf(",");
            else printf(",%.17g", cols[k][i]);
        }
        printf("\n");
    }
    TA_Shutdown();
    return 0;
}
