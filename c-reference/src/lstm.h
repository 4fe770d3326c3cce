/* UNIDIRECTIONAL_SEQUENCE_LSTM with TFLite Micro's lstm_eval arithmetic (float32; int8 or int16 activations). */
#ifndef MINNOW_CREF_LSTM_H
#define MINNOW_CREF_LSTM_H
#include "spec.h"

/* NULL on success, else an error message. */
const char *mc_unidirectional_sequence_lstm(mc_case *c);

#endif
