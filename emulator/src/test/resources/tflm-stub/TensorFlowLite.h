// Stub of the Arduino TFLM library's umbrella header (declares nothing itself).
#pragma once
