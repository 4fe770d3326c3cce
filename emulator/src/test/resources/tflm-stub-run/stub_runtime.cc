// A stand-in TFLM runtime for running an exported sketch on the host (export test only). Its "model" is fixed at
// compile time: an int8 input of STUB_N values (scale STUB_SCALE, zero point STUB_ZP) dequantized into a float
// output, as TFLM's DEQUANTIZE computes it. Samples come from stdin, one row of comma-separated floats per line.
#include <cstdarg>
#include <cstdio>

#include "tensorflow/lite/micro/micro_interpreter.h"
#include "tensorflow/lite/micro/micro_log.h"
#include "tensorflow/lite/micro/system_setup.h"

void MicroPrintf(const char* format, ...) {
  va_list args;
  va_start(args, format);
  vprintf(format, args);
  va_end(args);
  printf("\n");
}

namespace tflite {
void InitializeTarget() {}
uint32_t Model::version() const { return 3; }
const Model* GetModel(const void* buf) { return static_cast<const Model*>(buf); }

template <unsigned int N>
TfLiteStatus MicroMutableOpResolver<N>::AddDequantize() { return kTfLiteOk; }
template TfLiteStatus MicroMutableOpResolver<1>::AddDequantize();

static int8_t in_buf[STUB_N];
static float out_buf[STUB_N];
static TfLiteTensor in_t, out_t;

MicroInterpreter::MicroInterpreter(const Model*, const MicroOpResolver&, uint8_t*, size_t, MicroResourceVariables*,
                                   MicroProfilerInterface*, bool) {}
MicroInterpreter::~MicroInterpreter() {}
TfLiteStatus MicroInterpreter::AllocateTensors() {
  in_t.data.int8 = in_buf;
  in_t.params.scale = STUB_SCALE;
  in_t.params.zero_point = STUB_ZP;
  out_t.data.f = out_buf;
  return kTfLiteOk;
}
TfLiteStatus MicroInterpreter::Invoke() {
  for (int i = 0; i < STUB_N; i++) out_buf[i] = (in_buf[i] - STUB_ZP) * STUB_SCALE;
  return kTfLiteOk;
}
TfLiteTensor* MicroInterpreter::input(size_t) { return &in_t; }
TfLiteTensor* MicroInterpreter::output(size_t) { return &out_t; }
TfLiteStatus MicroInterpreter::Reset() { return kTfLiteOk; }
size_t MicroInterpreter::arena_used_bytes() const { return 0; }
}  // namespace tflite

void setup();
void loop();

static bool done = false;

bool ReadSample(float* sample) {
  for (int c = 0; c < STUB_CHANNELS; c++) {
    if (scanf(c == 0 ? "%f" : ",%f", &sample[c]) != 1) {
      done = true;
      return false;
    }
  }
  return true;
}

int main() {
  setup();
  while (!done) loop();
  return 0;
}
