#include "CVNHTML.h"
