import Foundation
import QFPPlot

/// Writes a figure's SVG to a file.
public enum PlotFile {
    /// Writes `figure` to `path` (replacing it atomically); the error names the path and why.
    public static func write(_ figure: Figure, to path: String) throws(PlotInputError) {
        do {
            try Data(figure.svg().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw PlotInputError("cannot write the plot to \(path): \((error as NSError).localizedDescription)")
        }
    }
}
