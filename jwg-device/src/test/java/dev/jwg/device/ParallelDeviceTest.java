package dev.jwg.device;

/** Every {@link DeviceTest} again with eight crypto workers per device: the parallel data path. */
class ParallelDeviceTest extends DeviceTest {
    @Override
    int workers() {
        return 8;
    }
}
