#ifndef CVNHTML_H
#define CVNHTML_H
#include <stdint.h>
#endif
